// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {Create2} from "@openzeppelin/contracts/utils/Create2.sol";

/**
 * @title GasBurningWallet
 * @notice Test-only: a hostile smart-contract wallet (ERC-1271). Its signature check burns a set amount of gas and
 * then accepts any signature, as an attacker's wallet would to make whoever checks it (a sign-in, a relayer) pay for
 * its computation. With less gas than it burns, it runs out of gas.
 */
contract GasBurningWallet is IERC1271 {
    /// @notice Gas each `isValidSignature` call burns before it answers.
    uint256 public burn;

    /// @notice The gas a signature check burns changed.
    event BurnSet(uint256 burn);

    constructor(uint256 burn_) {
        burn = burn_;
    }

    /// @notice Sets the gas each signature check burns (anyone may: a test double), e.g. cheap to sign in, then
    /// costly once a relayer checks it.
    function setBurn(uint256 burn_) external {
        burn = burn_;
        emit BurnSet(burn_);
    }

    /// @notice ERC-1271: burns `burn` gas, then accepts `hash` with any signature.
    function isValidSignature(bytes32, bytes calldata) external view returns (bytes4) {
        uint256 toBurn = burn;
        uint256 left = gasleft();
        uint256 stop = left > toBurn ? left - toBurn : 0;
        while (gasleft() > stop) {}
        return IERC1271.isValidSignature.selector;
    }
}

/**
 * @title GasBurningWalletFactory
 * @notice Test-only: deploys GasBurningWallets at addresses known in advance (CREATE2): the factory an ERC-6492
 * signature names for a wallet that is not deployed yet.
 */
contract GasBurningWalletFactory {
    /// @notice A wallet was deployed.
    event WalletDeployed(address indexed wallet, uint256 burn, bytes32 salt);

    /// @notice Deploys the wallet of `burn` and `salt`, or returns it when it is deployed already.
    function deploy(uint256 burn, bytes32 salt) external returns (GasBurningWallet wallet) {
        address predicted = walletAddress(burn, salt);
        if (predicted.code.length > 0) return GasBurningWallet(predicted);
        wallet = new GasBurningWallet{salt: salt}(burn);
        emit WalletDeployed(address(wallet), burn, salt);
    }

    /// @notice The address `deploy(burn, salt)` deploys to.
    function walletAddress(uint256 burn, bytes32 salt) public view returns (address) {
        bytes32 initCodeHash = keccak256(abi.encodePacked(type(GasBurningWallet).creationCode, abi.encode(burn)));
        return Create2.computeAddress(salt, initCodeHash);
    }
}
