/**
 * Records the microphone as a 16 kHz mono 16-bit PCM WAV file: getUserMedia → an AudioWorklet (or, where that is
 * missing, a ScriptProcessor) that hands over raw samples → resampled and encoded on stop (see ./wav.ts). Reports a
 * level for a meter while it records; stops by itself after `maxSeconds`.
 */
import { chunksToWav, level, mixToMono } from "./wav";

export interface Recording {
  wav: Blob;
  seconds: number;
}

export interface Recorder {
  /** Stops and returns the WAV. */
  stop(): Promise<Recording>;
  /** Stops and throws the audio away. */
  cancel(): void;
}

// Posts each block of input (first channel mixed with the others) to the main thread.
const WORKLET = `
class TrvlCapture extends AudioWorkletProcessor {
  process(inputs) {
    const input = inputs[0];
    if (input && input.length > 0 && input[0].length > 0) {
      const mono = new Float32Array(input[0].length);
      for (const channel of input) for (let i = 0; i < mono.length; i++) mono[i] += channel[i] / input.length;
      this.port.postMessage(mono, [mono.buffer]);
    }
    return true;
  }
}
registerProcessor("trvl-capture", TrvlCapture);
`;

export class MicrophoneError extends Error {}

/** A sentence for why the microphone could not be used. */
function describe(error: unknown): string {
  const name = error instanceof DOMException ? error.name : "";
  if (name === "NotAllowedError" || name === "SecurityError")
    return "Microphone access was refused. Allow it in your browser's site settings, or type your request instead.";
  if (name === "NotFoundError" || name === "OverconstrainedError") return "No microphone was found on this device.";
  if (name === "NotReadableError") return "The microphone is in use by another application.";
  return "The microphone could not be started. You can type your request instead.";
}

export async function startRecording(options: {
  onLevel?: (level: number) => void;
  onAutoStop?: (recording: Recording) => void;
  maxSeconds?: number;
}): Promise<Recorder> {
  if (typeof navigator === "undefined" || !navigator.mediaDevices?.getUserMedia) {
    throw new MicrophoneError("This browser cannot record audio here (it needs a secure page: https or localhost).");
  }
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      // The raw signal: the browser's call processing (noise suppression, gain control) distorts speech enough to make
      // the recogniser mishear city names (checked with the offline pipeline), and nothing plays while recording.
      audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false },
    });
  } catch (error) {
    throw new MicrophoneError(describe(error));
  }
  const context = new AudioContext();
  const source = context.createMediaStreamSource(stream);
  const chunks: Float32Array[] = [];
  const startedAt = performance.now();
  const onChunk = (chunk: Float32Array) => {
    chunks.push(chunk);
    options.onLevel?.(level(chunk));
  };

  let node: AudioNode;
  let workletUrl: string | undefined;
  if (context.audioWorklet) {
    workletUrl = URL.createObjectURL(new Blob([WORKLET], { type: "text/javascript" }));
    await context.audioWorklet.addModule(workletUrl);
    const worklet = new AudioWorkletNode(context, "trvl-capture");
    worklet.port.onmessage = (event: MessageEvent<Float32Array>) => onChunk(event.data);
    node = worklet;
  } else {
    const processor = context.createScriptProcessor(4096, 1, 1);
    processor.onaudioprocess = (event) => {
      const channels = Array.from({ length: event.inputBuffer.numberOfChannels }, (_, i) =>
        event.inputBuffer.getChannelData(i).slice(),
      );
      onChunk(mixToMono(channels));
    };
    node = processor;
  }
  source.connect(node);
  // Some browsers only pull audio through nodes that reach the destination; a muted gain keeps the speakers quiet.
  const mute = context.createGain();
  mute.gain.value = 0;
  node.connect(mute).connect(context.destination);

  let done = false;
  const release = () => {
    done = true;
    clearTimeout(timer);
    source.disconnect();
    node.disconnect();
    for (const track of stream.getTracks()) track.stop();
    if (workletUrl) URL.revokeObjectURL(workletUrl);
    void context.close();
  };
  const finish = (): Recording => {
    const rate = context.sampleRate;
    release();
    return {
      wav: new Blob([chunksToWav(chunks, rate)], { type: "audio/wav" }),
      seconds: (performance.now() - startedAt) / 1000,
    };
  };
  const timer = setTimeout(
    () => {
      if (!done) options.onAutoStop?.(finish());
    },
    (options.maxSeconds ?? 60) * 1000,
  );

  return {
    stop: async () => {
      if (done) throw new MicrophoneError("The recording already ended.");
      return finish();
    },
    cancel: () => {
      if (!done) release();
    },
  };
}
