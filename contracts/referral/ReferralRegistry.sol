// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

import {IReferralRegistry} from "./IReferralRegistry.sol";

/**
 * @title ReferralRegistry
 * @notice Records who referred whom. Every user may name a referrer once, directly or through a gasless signature
 * that anyone (in practice the TRVL backend) relays. The graph is a forest: no self-referral and no cycles, so the
 * two levels of uplines the reward split pays are always distinct accounts.
 * @dev The registry has no admin: once written, a referral can never be changed by anyone.
 */
contract ReferralRegistry is IReferralRegistry, EIP712, Nonces {
    /// @notice EIP-712 type of a gasless registration signed by the user.
    bytes32 public constant REGISTRATION_TYPEHASH = keccak256(
        "Registration(address user,address referrer,uint256 nonce,uint256 deadline)"
    );

    struct RefereeCounts {
        uint128 direct;
        uint128 indirect;
    }

    mapping(address user => address referrer) private _referrerOf;
    mapping(address referrer => RefereeCounts) private _refereeCounts;

    /// @notice `user` named `referrer`; `level2` is the referrer's own referrer at that moment (zero if none).
    event ReferralRegistered(address indexed user, address indexed referrer, address indexed level2);

    /// @dev The user or the referrer is the zero address.
    error ReferralZeroAddress();
    /// @dev A user tried to refer themselves.
    error ReferralSelf(address user);
    /// @dev The user already has a referrer.
    error ReferralAlreadyRegistered(address user, address referrer);
    /// @dev Naming `referrer` would close a loop: `user` is already among the referrer's uplines.
    error ReferralCycle(address user, address referrer);
    /// @dev The gasless registration's deadline has passed.
    error ReferralSignatureExpired(uint256 deadline);
    /// @dev The signature is not `user`'s over this registration and the user's current nonce.
    error ReferralInvalidSignature(address user);

    constructor() EIP712("TRVL Referrals", "1") {}

    /**
     * @notice Names `referrer` as the caller's referrer. Possible once per account.
     * @param referrer The account that referred the caller.
     */
    function register(address referrer) external {
        _register(msg.sender, referrer);
    }

    /**
     * @notice Registers `referrer` for `user` with the user's EIP-712 signature, so the user pays no gas.
     * @dev Smart-contract wallets sign through ERC-1271. Each signature carries the user's nonce and works once.
     * @param user The account being referred; the signer.
     * @param referrer The account that referred `user`.
     * @param deadline Last timestamp at which the signature is valid.
     * @param signature The user's signature over `Registration(user, referrer, nonce, deadline)`.
     */
    function registerWithSig(address user, address referrer, uint256 deadline, bytes calldata signature) external {
        if (block.timestamp > deadline) revert ReferralSignatureExpired(deadline);
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(REGISTRATION_TYPEHASH, user, referrer, _useNonce(user), deadline))
        );
        if (!SignatureChecker.isValidSignatureNow(user, digest, signature)) revert ReferralInvalidSignature(user);
        _register(user, referrer);
    }

    /// @notice The account that referred `user`, or zero.
    function referrerOf(address user) external view returns (address) {
        return _referrerOf[user];
    }

    /// @inheritdoc IReferralRegistry
    function uplines(address user) external view returns (address level1, address level2) {
        level1 = _referrerOf[user];
        if (level1 != address(0)) level2 = _referrerOf[level1];
    }

    /// @inheritdoc IReferralRegistry
    function uplinesOf(
        address[] calldata users
    ) external view returns (address[] memory level1, address[] memory level2) {
        level1 = new address[](users.length);
        level2 = new address[](users.length);
        for (uint256 i = 0; i < users.length; ++i) {
            address referrer = _referrerOf[users[i]];
            if (referrer == address(0)) continue;
            level1[i] = referrer;
            level2[i] = _referrerOf[referrer];
        }
    }

    /// @notice How many accounts `referrer` referred directly (level 1) and through its referees (level 2).
    function refereeCounts(address referrer) external view returns (uint256 direct, uint256 indirect) {
        RefereeCounts storage counts = _refereeCounts[referrer];
        return (counts.direct, counts.indirect);
    }

    /// @notice The EIP-712 domain separator that registration signatures are bound to.
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    function _register(address user, address referrer) private {
        if (user == address(0) || referrer == address(0)) revert ReferralZeroAddress();
        if (user == referrer) revert ReferralSelf(user);
        address existing = _referrerOf[user];
        if (existing != address(0)) revert ReferralAlreadyRegistered(user, existing);
        // `user` has no referrer yet, so a loop can only close if `user` is the root of the referrer's chain.
        for (address cursor = _referrerOf[referrer]; cursor != address(0); cursor = _referrerOf[cursor]) {
            if (cursor == user) revert ReferralCycle(user, referrer);
        }

        _referrerOf[user] = referrer;
        address level2 = _referrerOf[referrer];
        ++_refereeCounts[referrer].direct;
        if (level2 != address(0)) ++_refereeCounts[level2].indirect;
        emit ReferralRegistered(user, referrer, level2);
    }
}
