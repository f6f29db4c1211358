import { quoteDomain, quoteTypes } from "@trvl/abi";
import { expect } from "chai";
import { TypedDataEncoder, ZeroAddress, id, parseEther } from "ethers";

import { ROLES } from "../ignition/modules/protocol.js";
import {
  BookingEscrow__factory,
  MockFeeOnTransferToken__factory,
  MockRebasingToken__factory,
  RejectingReceiver__factory,
  ReentrantTraveller__factory,
} from "../types/ethers-contracts/index.js";
import { useSystem } from "./helpers/fixture.js";
import { DAY, NATIVE } from "./helpers/system.js";
import { ethersTypes } from "../scripts/lib/ethers-types.js";

const { fresh } = await useSystem();

const Status = { None: 0n, Paid: 1n, Settled: 2n, Refunded: 3n, Rewarded: 4n } as const;

describe("BookingEscrow", () => {
  describe("pay", () => {
    it("refuses tokens that arrive short: a fee-on-transfer token, and a rebasing one once it shrinks balances", async () => {
      const { escrow, admin, deployer, quote, signQuote, travellers } = await fresh();
      const [alice] = travellers;
      const escrowAddress = await escrow.getAddress();
      const fee = await new MockFeeOnTransferToken__factory(deployer).deploy();
      const rebasing = await new MockRebasingToken__factory(deployer).deploy();
      for (const token of [fee, rebasing]) {
        await escrow.connect(admin).setPaymentToken(await token.getAddress(), true);
        await token.mint(alice.address, 10_000_000_000n);
        await token.connect(alice).approve(escrowAddress, 10_000_000_000n);
      }

      // 1% of a fee-on-transfer payment never arrives: recording the quoted amount would make other deposits pay it.
      const q = await quote(alice, { token: (await fee.getAddress()) as `0x${string}`, amount: 1_000_000_000n });
      await expect(escrow.connect(alice).pay(q, await signQuote(q)))
        .to.be.revertedWithCustomError(escrow, "EscrowShortTransfer")
        .withArgs(q.bookingId, 1_000_000_000n, 990_000_000n);
      expect(await fee.balanceOf(escrowAddress)).to.equal(0n);

      // A rebasing token is accepted while whole, refused once a rebase makes the escrow receive less.
      const token = (await rebasing.getAddress()) as `0x${string}`;
      const whole = await quote(alice, { token, amount: 1_000_000n });
      await escrow.connect(alice).pay(whole, await signQuote(whole));
      expect((await escrow.bookingOf(whole.bookingId)).amount).to.equal(1_000_000n);
      await rebasing.setHaircut(50);
      const shrunk = await quote(alice, { token, amount: 1_000_000n });
      await expect(escrow.connect(alice).pay(shrunk, await signQuote(shrunk)))
        .to.be.revertedWithCustomError(escrow, "EscrowShortTransfer")
        .withArgs(shrunk.bookingId, 1_000_000n, 995_000n);
      expect((await escrow.bookingOf(shrunk.bookingId)).status).to.equal(Status.None);
    });

    it("takes a stablecoin payment against a signed quote and records the booking", async () => {
      const { escrow, stablecoin, quote, pay, travellers } = await fresh();
      const [alice] = travellers;
      const q = await quote(alice, { amount: 1_234_567_890n, commissionBps: 1_250 });
      const tx = await pay(q, alice);
      const block = await tx.getBlock();
      const refundableAt = BigInt(block!.timestamp) + DAY;
      await expect(tx)
        .to.emit(escrow, "BookingPaid")
        .withArgs(q.bookingId, alice.address, q.token, q.amount, 154_320_986n, q.supplier, refundableAt);
      expect(await stablecoin.balanceOf(await escrow.getAddress())).to.equal(q.amount);
      const booking = await escrow.bookingOf(q.bookingId);
      expect(booking.status).to.equal(Status.Paid);
      expect(booking.traveller).to.equal(alice.address);
      expect(booking.amount).to.equal(q.amount);
      expect(booking.refundableAt).to.equal(refundableAt);
      // The payment time, which the settlement record carries to the distributor (boosts count stake held before it).
      expect(booking.paidAt).to.equal(block!.timestamp);
      const [settlement] = await escrow.settlementsOf([q.bookingId]);
      expect(settlement.paidAt).to.equal(block!.timestamp);
    });

    it("takes a native ETH payment of exactly the quoted amount", async () => {
      const { escrow, quote, signQuote, travellers, ethers } = await fresh();
      const [alice] = travellers;
      const q = await quote(alice, { token: NATIVE, amount: parseEther("0.5") });
      const signature = await signQuote(q);
      await expect(escrow.connect(alice).pay(q, signature, { value: parseEther("0.4") }))
        .to.be.revertedWithCustomError(escrow, "EscrowWrongValue")
        .withArgs(q.bookingId, q.amount, parseEther("0.4"));
      await expect(escrow.connect(alice).pay(q, signature, { value: q.amount })).to.changeEtherBalances(
        ethers,
        [alice, escrow],
        [-q.amount, q.amount],
      );
      expect((await escrow.bookingOf(q.bookingId)).status).to.equal(Status.Paid);
    });

    it("pays a stablecoin booking in one transaction with a permit", async () => {
      const { escrow, stablecoin, quote, signQuote, permit, travellers, connection } = await fresh();
      const [alice] = travellers;
      const q = await quote(alice);
      await stablecoin.mint(alice.address, q.amount);
      const deadline = BigInt(await connection.networkHelpers.time.latest()) + 600n;
      const sig = await permit(alice, q.amount, deadline);
      await expect(
        escrow.connect(alice).payWithPermit(q, await signQuote(q), deadline, sig.v, sig.r, sig.s),
      ).to.changeTokenBalances(connection.ethers, stablecoin, [alice, escrow], [-q.amount, q.amount]);
      expect(await stablecoin.allowance(alice.address, await escrow.getAddress())).to.equal(0n);
    });

    it("still pays when the permit was already used (front-run), and refuses a native permit payment", async () => {
      const { escrow, stablecoin, quote, signQuote, permit, travellers, connection } = await fresh();
      const [alice, frontRunner] = travellers;
      const q = await quote(alice);
      await stablecoin.mint(alice.address, q.amount);
      const deadline = BigInt(await connection.networkHelpers.time.latest()) + 600n;
      const sig = await permit(alice, q.amount, deadline);
      await stablecoin
        .connect(frontRunner)
        .permit(alice.address, await escrow.getAddress(), q.amount, deadline, sig.v, sig.r, sig.s);
      await escrow.connect(alice).payWithPermit(q, await signQuote(q), deadline, sig.v, sig.r, sig.s);
      expect((await escrow.bookingOf(q.bookingId)).status).to.equal(Status.Paid);

      const native = await quote(alice, { token: NATIVE });
      await expect(escrow.connect(alice).payWithPermit(native, await signQuote(native), deadline, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(escrow, "EscrowTokenNotAllowed")
        .withArgs(ZeroAddress);
    });

    it("rejects paying the same booking twice", async () => {
      const { escrow, quote, pay, travellers } = await fresh();
      const [alice] = travellers;
      const q = await quote(alice);
      await pay(q, alice);
      await expect(pay(q, alice))
        .to.be.revertedWithCustomError(escrow, "EscrowAlreadyPaid")
        .withArgs(q.bookingId, Status.Paid);
    });

    it("rejects quotes not signed by a quote signer, expired, or issued to someone else", async () => {
      const { escrow, quote, signQuote, travellers, connection } = await fresh();
      const [alice, mallory] = travellers;
      const q = await quote(alice, { token: NATIVE, amount: 1000n });
      await expect(escrow.connect(alice).pay(q, await signQuote(q, mallory), { value: 1000n }))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidQuoteSigner")
        .withArgs(mallory.address);
      await expect(escrow.connect(mallory).pay(q, await signQuote(q), { value: 1000n }))
        .to.be.revertedWithCustomError(escrow, "EscrowNotQuoteTraveller")
        .withArgs(q.bookingId, alice.address, mallory.address);
      const tampered = { ...q, amount: 1n };
      await expect(
        escrow.connect(alice).pay(tampered, await signQuote(q), { value: 1n }),
      ).to.be.revertedWithCustomError(escrow, "EscrowInvalidQuoteSigner");
      await connection.networkHelpers.time.increaseTo(q.expiresAt + 1n);
      await expect(escrow.connect(alice).pay(q, await signQuote(q), { value: 1000n }))
        .to.be.revertedWithCustomError(escrow, "EscrowQuoteExpired")
        .withArgs(q.bookingId, q.expiresAt);
    });

    it("rejects zero or oversized amounts, excessive commission, no supplier, unlisted tokens, stray ETH", async () => {
      const { escrow, quote, signQuote, travellers, token } = await fresh();
      const [alice] = travellers;
      const payWith = async (overrides: Parameters<typeof quote>[1], value = 0n) => {
        const q = await quote(alice, overrides);
        return { q, tx: escrow.connect(alice).pay(q, await signQuote(q), { value }) };
      };
      let r = await payWith({ amount: 0n });
      await expect(r.tx).to.be.revertedWithCustomError(escrow, "EscrowInvalidAmount").withArgs(r.q.bookingId, 0n);
      r = await payWith({ amount: 2n ** 96n });
      await expect(r.tx)
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidAmount")
        .withArgs(r.q.bookingId, 2n ** 96n);
      r = await payWith({ commissionBps: 5_001 });
      await expect(r.tx)
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidCommission")
        .withArgs(r.q.bookingId, 5_001);
      r = await payWith({ supplier: ZeroAddress as `0x${string}` });
      await expect(r.tx).to.be.revertedWithCustomError(escrow, "EscrowZeroAddress");
      const trvl = (await token.getAddress()) as `0x${string}`;
      r = await payWith({ token: trvl });
      await expect(r.tx).to.be.revertedWithCustomError(escrow, "EscrowTokenNotAllowed").withArgs(trvl);
      r = await payWith({}, 1n);
      await expect(r.tx).to.be.revertedWithCustomError(escrow, "EscrowWrongValue").withArgs(r.q.bookingId, 0n, 1n);
    });

    it("stops new payments while paused, and only a pauser can pause", async () => {
      const { escrow, quote, pay, guardian, travellers } = await fresh();
      const [alice] = travellers;
      await expect(escrow.connect(alice).pause())
        .to.be.revertedWithCustomError(escrow, "AccessControlUnauthorizedAccount")
        .withArgs(alice.address, ROLES.PAUSER);
      await escrow.connect(guardian).pause();
      await expect(pay(await quote(alice), alice)).to.be.revertedWithCustomError(escrow, "EnforcedPause");
      await escrow.connect(guardian).unpause();
      await pay(await quote(alice), alice);
    });

    it("hashes quotes exactly as the shared EIP-712 definition does", async () => {
      const { escrow, quote, travellers, chainId } = await fresh();
      const q = await quote(travellers[0]);
      const expected = TypedDataEncoder.hash(
        quoteDomain(chainId, (await escrow.getAddress()) as `0x${string}`),
        ethersTypes(quoteTypes),
        q,
      );
      expect(await escrow.hashQuote(q)).to.equal(expected);
      expect(await escrow.DOMAIN_SEPARATOR()).to.equal(
        TypedDataEncoder.hashDomain(quoteDomain(chainId, (await escrow.getAddress()) as `0x${string}`)),
      );
      expect(await escrow.QUOTE_TYPEHASH()).to.equal(
        id(TypedDataEncoder.from(ethersTypes(quoteTypes)).encodeType("Quote")),
      );
    });
  });

  describe("settle", () => {
    it("pays the supplier the amount minus commission and the treasury the commission", async () => {
      const { escrow, stablecoin, quote, pay, keeper, supplier, treasury, travellers, ethers } = await fresh();
      const [alice] = travellers;
      const q = await quote(alice, { amount: 999_999n, commissionBps: 1_234 });
      await pay(q, alice);
      // A paid booking does not make its traveller one who travelled; a settled one does.
      expect(await escrow.hasSettledBooking([alice.address])).to.deep.equal([false]);
      const commission = (999_999n * 1_234n) / 10_000n;
      const tx = escrow.connect(keeper).settle([q.bookingId]);
      await expect(tx)
        .to.emit(escrow, "BookingSettled")
        .withArgs(q.bookingId, alice.address, supplier.address, q.token, 999_999n - commission, commission);
      await expect(tx).to.changeTokenBalances(
        ethers,
        stablecoin,
        [escrow, supplier, treasury],
        [-999_999n, 999_999n - commission, commission],
      );
      expect((await escrow.bookingOf(q.bookingId)).status).to.equal(Status.Settled);
      expect(await escrow.hasSettledBooking([alice.address, supplier.address])).to.deep.equal([true, false]);
    });

    it("settles native bookings in ETH, in batches, skipping what is not paid", async () => {
      const { escrow, quote, pay, keeper, supplier, treasury, travellers, ethers } = await fresh();
      const [alice, bob] = travellers;
      const a = await quote(alice, { token: NATIVE, amount: parseEther("1"), commissionBps: 1_000 });
      const b = await quote(bob, { token: NATIVE, amount: parseEther("2"), commissionBps: 500 });
      await pay(a, alice);
      await pay(b, bob);
      const unknown = `0x${"ab".repeat(32)}`;
      const tx = escrow.connect(keeper).settle([a.bookingId, unknown, b.bookingId, a.bookingId]);
      await expect(tx).to.changeEtherBalances(
        ethers,
        [escrow, supplier, treasury],
        [-parseEther("3"), parseEther("0.9") + parseEther("1.9"), parseEther("0.1") + parseEther("0.1")],
      );
      await expect(tx).to.emit(escrow, "SettlementSkipped").withArgs(unknown, Status.None);
      await expect(tx).to.emit(escrow, "SettlementSkipped").withArgs(a.bookingId, Status.Settled);
      expect(await escrow.connect(keeper).settle.staticCall([a.bookingId, b.bookingId])).to.equal(0n);
    });

    it("is for settlers only", async () => {
      const { escrow, quote, pay, travellers } = await fresh();
      const [alice] = travellers;
      const q = await quote(alice);
      await pay(q, alice);
      await expect(escrow.connect(alice).settle([q.bookingId]))
        .to.be.revertedWithCustomError(escrow, "AccessControlUnauthorizedAccount")
        .withArgs(alice.address, ROLES.SETTLER);
    });

    it("settles a batch of 50 when one supplier refuses ETH: the 49 are paid, the refuser is credited", async () => {
      const { escrow, quote, pay, keeper, travellers, deployer, supplier, connection, ethers } = await fresh();
      const [alice, elsewhere] = travellers;
      const refuser = await new RejectingReceiver__factory(deployer).deploy();
      const refuserAddress = (await refuser.getAddress()) as `0x${string}`;
      const bookings = [];
      for (let i = 0; i < 50; i++) {
        const q = await quote(alice, {
          token: NATIVE,
          amount: 1000n,
          commissionBps: 1_000,
          supplier: i === 17 ? refuserAddress : (supplier.address as `0x${string}`),
        });
        await pay(q, alice);
        bookings.push(q.bookingId);
      }
      const tx = escrow.connect(keeper).settle(bookings);
      await expect(tx).to.emit(escrow, "PaymentCredited").withArgs(refuserAddress, NATIVE, 900n);
      await expect(tx).to.changeEtherBalances(ethers, [supplier, refuser], [49n * 900n, 0n]);
      for (const id of bookings) expect((await escrow.bookingOf(id)).status).to.equal(Status.Settled);
      expect(await escrow.creditOf(NATIVE, refuserAddress)).to.equal(900n);
      expect(await escrow.totalCredits(NATIVE)).to.equal(900n);

      // The refuser withdraws its credit to an address that takes ETH; nobody else can, and only once.
      await expect(escrow.connect(alice).withdrawCredit(NATIVE, alice.address))
        .to.be.revertedWithCustomError(escrow, "EscrowNoCredit")
        .withArgs(alice.address, NATIVE);
      await connection.networkHelpers.impersonateAccount(refuserAddress);
      await connection.networkHelpers.setBalance(refuserAddress, 10n ** 18n);
      const asRefuser = await ethers.getSigner(refuserAddress);
      await expect(escrow.connect(asRefuser).withdrawCredit(NATIVE, elsewhere.address))
        .to.emit(escrow, "CreditWithdrawn")
        .withArgs(refuserAddress, NATIVE, elsewhere.address, 900n);
      expect(await escrow.totalCredits(NATIVE)).to.equal(0n);
      await expect(escrow.connect(asRefuser).withdrawCredit(NATIVE, elsewhere.address)).to.be.revertedWithCustomError(
        escrow,
        "EscrowNoCredit",
      );
    });
  });

  describe("refund", () => {
    it("lets a settler refund a paid booking at any time, even while paused", async () => {
      const { escrow, stablecoin, quote, pay, keeper, guardian, travellers, ethers } = await fresh();
      const [alice] = travellers;
      const q = await quote(alice);
      await pay(q, alice);
      await escrow.connect(guardian).pause();
      const tx = escrow.connect(keeper).refund(q.bookingId);
      await expect(tx)
        .to.emit(escrow, "BookingRefunded")
        .withArgs(q.bookingId, alice.address, keeper.address, q.token, q.amount);
      await expect(tx).to.changeTokenBalances(ethers, stablecoin, [escrow, alice], [-q.amount, q.amount]);
      expect((await escrow.bookingOf(q.bookingId)).status).to.equal(Status.Refunded);
    });

    it("lets the traveller refund alone once the deadline has passed unsettled", async () => {
      const { escrow, quote, pay, travellers, connection, ethers } = await fresh();
      const [alice, mallory] = travellers;
      const q = await quote(alice, { token: NATIVE, amount: parseEther("1") });
      await pay(q, alice);
      const { refundableAt } = await escrow.bookingOf(q.bookingId);
      await expect(escrow.connect(alice).refund(q.bookingId))
        .to.be.revertedWithCustomError(escrow, "EscrowRefundTooEarly")
        .withArgs(q.bookingId, refundableAt);
      await connection.networkHelpers.time.increaseTo(refundableAt);
      await expect(escrow.connect(mallory).refund(q.bookingId))
        .to.be.revertedWithCustomError(escrow, "EscrowRefundNotAllowed")
        .withArgs(q.bookingId, mallory.address);
      await expect(escrow.connect(alice).refund(q.bookingId)).to.changeEtherBalances(
        ethers,
        [escrow, alice],
        [-q.amount, q.amount],
      );
    });

    it("refunds once, and never after settlement", async () => {
      const { escrow, quote, pay, keeper, travellers } = await fresh();
      const [alice] = travellers;
      const settled = await quote(alice);
      await pay(settled, alice);
      await escrow.connect(keeper).settle([settled.bookingId]);
      await expect(escrow.connect(keeper).refund(settled.bookingId))
        .to.be.revertedWithCustomError(escrow, "EscrowNotRefundable")
        .withArgs(settled.bookingId, Status.Settled);

      const refunded = await quote(alice);
      await pay(refunded, alice);
      await escrow.connect(keeper).refund(refunded.bookingId);
      await expect(escrow.connect(keeper).refund(refunded.bookingId))
        .to.be.revertedWithCustomError(escrow, "EscrowNotRefundable")
        .withArgs(refunded.bookingId, Status.Refunded);
      await expect(escrow.connect(keeper).settle([refunded.bookingId]))
        .to.emit(escrow, "SettlementSkipped")
        .withArgs(refunded.bookingId, Status.Refunded);
    });

    it("cannot be re-entered by a traveller contract receiving ETH", async () => {
      const { escrow, quote, signQuote, deployer, ethers } = await fresh();
      const attacker = await new ReentrantTraveller__factory(deployer).deploy(await escrow.getAddress());
      const attackerAddress = (await attacker.getAddress()) as `0x${string}`;
      const q = { ...(await quote(deployer)), traveller: attackerAddress, token: NATIVE, amount: parseEther("1") };
      await attacker.pay(q, await signQuote(q), { value: q.amount });
      // The traveller's own refund runs after the deadline; its receive() tries to refund again.
      await ethers.provider.send("evm_increaseTime", [Number(DAY)]);
      await attacker.refund(q.bookingId);
      expect(await attacker.reentered()).to.equal(true);
      expect(escrow.interface.parseError(await attacker.reentryError())?.name).to.equal("ReentrancyGuardReentrantCall");
      expect(await ethers.provider.getBalance(attackerAddress)).to.equal(q.amount);
    });
  });

  describe("refundPartially", () => {
    it("gives the traveller part back and settles the rest: supplier and commission on the kept part only", async () => {
      const { escrow, stablecoin, quote, pay, keeper, supplier, treasury, guardian, travellers, ethers } =
        await fresh();
      const [alice] = travellers;
      const q = await quote(alice, { amount: 1_000_000n, commissionBps: 1_000 });
      await pay(q, alice);
      // A cancellation fee of 30%: 700,000 back, 300,000 kept, of which 10% commission.
      await escrow.connect(guardian).pause();
      const tx = escrow.connect(keeper).refundPartially(q.bookingId, 700_000n);
      await expect(tx)
        .to.emit(escrow, "BookingPartiallyRefunded")
        .withArgs(q.bookingId, alice.address, q.token, 700_000n, 300_000n);
      await expect(tx)
        .to.emit(escrow, "BookingSettled")
        .withArgs(q.bookingId, alice.address, supplier.address, q.token, 270_000n, 30_000n);
      await expect(tx).to.changeTokenBalances(
        ethers,
        stablecoin,
        [escrow, alice, supplier, treasury],
        [-1_000_000n, 700_000n, 270_000n, 30_000n],
      );
      const booking = await escrow.bookingOf(q.bookingId);
      expect(booking.status).to.equal(Status.Settled);
      expect(booking.amount).to.equal(300_000n);
      // The distributor rewards the kept part's commission; a cancelled trip does not make an active traveller.
      const [settlement] = await escrow.settlementsOf([q.bookingId]);
      expect(settlement.commission).to.equal(30_000n);
      expect(await escrow.hasSettledBooking([alice.address])).to.deep.equal([false]);
    });

    it("pays native bookings in ETH, crediting a recipient that refuses", async () => {
      const { escrow, quote, pay, keeper, treasury, travellers, deployer, ethers } = await fresh();
      const [alice] = travellers;
      const refuser = await new RejectingReceiver__factory(deployer).deploy();
      const refuserAddress = (await refuser.getAddress()) as `0x${string}`;
      const q = await quote(alice, {
        token: NATIVE,
        amount: parseEther("1"),
        commissionBps: 500,
        supplier: refuserAddress,
      });
      await pay(q, alice);
      const tx = escrow.connect(keeper).refundPartially(q.bookingId, parseEther("0.8"));
      await expect(tx).to.changeEtherBalances(
        ethers,
        [escrow, alice, treasury],
        [-parseEther("0.81"), parseEther("0.8"), parseEther("0.01")],
      );
      await expect(tx).to.emit(escrow, "PaymentCredited").withArgs(refuserAddress, NATIVE, parseEther("0.19"));
      expect(await escrow.totalCredits(NATIVE)).to.equal(parseEther("0.19"));
    });

    it("is for settlers, on paid bookings only, once, for a part that is neither nothing nor all", async () => {
      const { escrow, quote, pay, keeper, travellers } = await fresh();
      const [alice] = travellers;
      const q = await quote(alice, { amount: 1_000n });
      await pay(q, alice);
      await expect(escrow.connect(alice).refundPartially(q.bookingId, 500n))
        .to.be.revertedWithCustomError(escrow, "AccessControlUnauthorizedAccount")
        .withArgs(alice.address, ROLES.SETTLER);
      for (const part of [0n, 1_000n, 1_001n]) {
        await expect(escrow.connect(keeper).refundPartially(q.bookingId, part))
          .to.be.revertedWithCustomError(escrow, "EscrowInvalidRefundAmount")
          .withArgs(q.bookingId, part, 1_000n);
      }
      await escrow.connect(keeper).refundPartially(q.bookingId, 1n);
      await expect(escrow.connect(keeper).refundPartially(q.bookingId, 1n))
        .to.be.revertedWithCustomError(escrow, "EscrowNotRefundable")
        .withArgs(q.bookingId, Status.Settled);
      await expect(escrow.connect(keeper).refund(q.bookingId))
        .to.be.revertedWithCustomError(escrow, "EscrowNotRefundable")
        .withArgs(q.bookingId, Status.Settled);
      await expect(escrow.connect(keeper).settle([q.bookingId]))
        .to.emit(escrow, "SettlementSkipped")
        .withArgs(q.bookingId, Status.Settled);

      const refunded = await quote(alice, { amount: 1_000n });
      await pay(refunded, alice);
      await escrow.connect(keeper).refund(refunded.bookingId);
      await expect(escrow.connect(keeper).refundPartially(refunded.bookingId, 1n))
        .to.be.revertedWithCustomError(escrow, "EscrowNotRefundable")
        .withArgs(refunded.bookingId, Status.Refunded);
      const unknown = `0x${"cd".repeat(32)}`;
      await expect(escrow.connect(keeper).refundPartially(unknown, 1n))
        .to.be.revertedWithCustomError(escrow, "EscrowNotRefundable")
        .withArgs(unknown, Status.None);
    });
  });

  describe("rewards hand-off", () => {
    it("lets only the rewarder mark settled bookings rewarded, each once", async () => {
      const { escrow, settledBooking, quote, pay, admin, travellers } = await fresh();
      const [alice, rewarder] = travellers;
      const a = await settledBooking(alice);
      const b = await settledBooking(alice);
      const paid = await quote(alice);
      await pay(paid, alice);
      await expect(escrow.connect(alice).markRewarded([a.bookingId]))
        .to.be.revertedWithCustomError(escrow, "AccessControlUnauthorizedAccount")
        .withArgs(alice.address, ROLES.REWARDER);
      await escrow.connect(admin).grantRole(ROLES.REWARDER, rewarder.address);

      const unknown = `0x${"cd".repeat(32)}`;
      const batch = [a.bookingId, a.bookingId, paid.bookingId, unknown, b.bookingId];
      expect(await escrow.connect(rewarder).markRewarded.staticCall(batch)).to.deep.equal([
        true,
        false,
        false,
        false,
        true,
      ]);
      await escrow.connect(rewarder).markRewarded(batch);
      expect(await escrow.connect(rewarder).markRewarded.staticCall([a.bookingId, b.bookingId])).to.deep.equal([
        false,
        false,
      ]);

      const settlements = await escrow.settlementsOf([a.bookingId, paid.bookingId, unknown]);
      expect(settlements.map((s) => s.status)).to.deep.equal([Status.Rewarded, Status.Paid, Status.None]);
      expect(settlements[0].traveller).to.equal(alice.address);
      expect(settlements[0].token).to.equal(a.token);
      expect(settlements[0].commission).to.equal(100_000_000n);
      expect(settlements[2].traveller).to.equal(ZeroAddress);
      expect((await escrow.bookingOf(a.bookingId)).status).to.equal(Status.Rewarded);
      await expect(escrow.connect(admin).refund(a.bookingId))
        .to.be.revertedWithCustomError(escrow, "EscrowNotRefundable")
        .withArgs(a.bookingId, Status.Rewarded);
    });

    it("numbers bookings in payment order", async () => {
      const { escrow, quote, pay, travellers } = await fresh();
      const [alice, bob] = travellers;
      const first = await quote(alice);
      const second = await quote(bob);
      await pay(first, alice);
      await pay(second, bob);
      expect((await escrow.bookingOf(first.bookingId)).serial).to.equal(1n);
      expect((await escrow.bookingOf(second.bookingId)).serial).to.equal(2n);
      expect(await escrow.bookingCount()).to.equal(2n);
    });
  });

  describe("administration", () => {
    it("lets the admin list tokens, move the treasury and change the window, within bounds", async () => {
      const { escrow, admin, travellers, stablecoin } = await fresh();
      const [alice, newTreasury] = travellers;
      const stable = await stablecoin.getAddress();
      expect(await escrow.isPaymentToken(stable)).to.equal(true);
      expect(await escrow.isPaymentToken(ZeroAddress)).to.equal(true);
      await expect(escrow.connect(admin).setPaymentToken(stable, false))
        .to.emit(escrow, "PaymentTokenSet")
        .withArgs(stable, false);
      expect(await escrow.isPaymentToken(stable)).to.equal(false);

      const previous = await escrow.treasury();
      await expect(escrow.connect(admin).setTreasury(newTreasury.address))
        .to.emit(escrow, "TreasurySet")
        .withArgs(previous, newTreasury.address);
      await expect(escrow.connect(admin).setTreasury(ZeroAddress)).to.be.revertedWithCustomError(
        escrow,
        "EscrowZeroAddress",
      );

      await expect(escrow.connect(admin).setSettlementWindow(7n * DAY))
        .to.emit(escrow, "SettlementWindowSet")
        .withArgs(DAY, 7n * DAY);
      await expect(escrow.connect(admin).setSettlementWindow(60n))
        .to.be.revertedWithCustomError(escrow, "EscrowInvalidSettlementWindow")
        .withArgs(60n);
      await expect(escrow.connect(admin).setSettlementWindow(366n * DAY)).to.be.revertedWithCustomError(
        escrow,
        "EscrowInvalidSettlementWindow",
      );
      await expect(escrow.connect(alice).setTreasury(alice.address)).to.be.revertedWithCustomError(
        escrow,
        "AccessControlUnauthorizedAccount",
      );
    });

    it("rejects a zero admin at deployment", async () => {
      const { deployer, treasury } = await fresh();
      const factory = new BookingEscrow__factory(deployer);
      await expect(factory.deploy(ZeroAddress, treasury.address, DAY)).to.be.revertedWithCustomError(
        factory,
        "EscrowZeroAddress",
      );
    });
  });
});
