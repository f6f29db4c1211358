"use client";

import { useState, type FormEvent } from "react";

import { Button, Card, Notice } from "@/components/ui";
import type { Profile, ProfileChoices } from "@/lib/api";

import {
  accessibilityLabel,
  bodyOf,
  choiceLabel,
  draftOf,
  toggled,
  type BudgetField,
  type ProfileBody,
  type ProfileDraft,
} from "./profile-draft";

type ListField = "interests" | "dietary" | "accessibility";

/** The profile's fields, filled from the saved profile; `onSave` gets a valid `PUT /me/profile` body. */
export function ProfileForm({
  choices,
  profile,
  saving,
  saved,
  error,
  onSave,
}: {
  choices: ProfileChoices;
  profile: Profile;
  saving: boolean;
  saved: boolean;
  error: string | null;
  onSave: (body: ProfileBody) => void;
}) {
  const [draft, setDraft] = useState<ProfileDraft>(() => draftOf(profile, choices));
  const [errors, setErrors] = useState<Partial<Record<BudgetField, string>>>({});
  const [edited, setEdited] = useState(false);

  const change = (next: Partial<ProfileDraft>) => {
    setDraft((current) => ({ ...current, ...next }));
    setEdited(true);
  };
  const toggle = (field: ListField, value: string, on: boolean) =>
    // The values are the choices the API offered for that field.
    change({ [field]: toggled<string>(draft[field], value, on) } as Partial<ProfileDraft>);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = bodyOf(draft, profile.pastDestinations);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    setEdited(false);
    onSave(result.body);
  };

  return (
    <form onSubmit={submit} noValidate className="grid gap-4" data-testid="profile-form">
      <Card title="Interests">
        <Choices
          legend="What you enjoy on a trip: the planner fits each into your days, and For you starts from them."
          field="interests"
          options={choices.interests.map(({ id, label }) => ({ value: id, label: choiceLabel(label) }))}
          selected={draft.interests}
          onToggle={toggle}
        />
      </Card>
      <Card title="Food and access">
        <div className="grid gap-4">
          <Choices
            legend="Dietary needs: every restaurant the planner picks serves them."
            field="dietary"
            options={choices.dietary.map((diet) => ({ value: diet, label: choiceLabel(diet) }))}
            selected={draft.dietary}
            onToggle={toggle}
          />
          <Choices
            legend="Accessibility needs"
            field="accessibility"
            options={choices.accessibility.map((need) => ({ value: need, label: accessibilityLabel(need) }))}
            selected={draft.accessibility}
            onToggle={toggle}
          />
        </div>
      </Card>
      <Card title="Style and budget">
        <div className="grid gap-4 sm:grid-cols-3">
          <label className="grid gap-1 text-sm font-medium text-slate-700">
            Travel style
            <select
              className="rounded-lg border border-slate-300 bg-white px-3 py-2 font-normal"
              value={draft.travelStyle}
              onChange={(event) => change({ travelStyle: event.target.value as ProfileDraft["travelStyle"] })}
            >
              <option value="">No preference</option>
              {choices.travelStyles.map((style) => (
                <option key={style} value={style}>
                  {choiceLabel(style)}
                </option>
              ))}
            </select>
          </label>
          <BudgetInput
            field="budgetPerDay"
            label="Budget per day (USD)"
            value={draft.budgetPerDay}
            error={errors.budgetPerDay}
            onChange={(value) => change({ budgetPerDay: value })}
          />
          <BudgetInput
            field="budgetPerTrip"
            label="Budget per trip (USD)"
            value={draft.budgetPerTrip}
            error={errors.budgetPerTrip}
            onChange={(value) => change({ budgetPerTrip: value })}
          />
        </div>
        <p className="mt-2 text-sm text-slate-600">
          A budget you give in a request wins; otherwise the planner keeps the trip within the budget per trip, or the
          budget per day times the nights.
        </p>
      </Card>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={saving}>
          {saving ? "Saving…" : "Save preferences"}
        </Button>
        <div aria-live="polite" className="text-sm">
          {saved && !edited && !saving && (
            <span className="text-emerald-800" data-testid="profile-saved">
              Saved. Your next plans and recommendations use these.
            </span>
          )}
        </div>
      </div>
      {error && <Notice tone="error">Your preferences were not saved: {error}</Notice>}
    </form>
  );
}

function Choices({
  legend,
  field,
  options,
  selected,
  onToggle,
}: {
  legend: string;
  field: ListField;
  options: { value: string; label: string }[];
  selected: string[];
  onToggle: (field: ListField, value: string, on: boolean) => void;
}) {
  return (
    <fieldset>
      <legend className="mb-2 text-sm text-slate-700">{legend}</legend>
      <ul className="flex flex-wrap gap-2">
        {options.map(({ value, label }) => {
          const on = selected.includes(value);
          return (
            <li key={value}>
              <label
                className={`inline-flex cursor-pointer items-center gap-2 rounded-full border px-3 py-1 text-sm ${
                  on ? "border-brand-600 bg-brand-50 text-brand-700" : "border-slate-300 text-slate-700"
                }`}
              >
                <input
                  type="checkbox"
                  name={field}
                  value={value}
                  checked={on}
                  onChange={(event) => onToggle(field, value, event.target.checked)}
                  className="accent-brand-600"
                />
                {label}
              </label>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}

function BudgetInput({
  field,
  label,
  value,
  error,
  onChange,
}: {
  field: BudgetField;
  label: string;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  const errorId = `${field}-error`;
  return (
    <label className="grid gap-1 text-sm font-medium text-slate-700">
      {label}
      <input
        name={field}
        inputMode="decimal"
        autoComplete="off"
        placeholder="No limit"
        className="rounded-lg border border-slate-300 px-3 py-2 font-normal tabular-nums"
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      {error && (
        <span id={errorId} className="font-normal text-red-700">
          {error}
        </span>
      )}
    </label>
  );
}
