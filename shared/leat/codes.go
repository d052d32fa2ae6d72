package leat

import "strconv"

// Code is a Leat error code. A Code is itself an error so that
// errors.Is(err, leat.CodeContactNotFound) matches an *APIError carrying that code.
type Code int

func (c Code) Error() string {
	return "leat: error code " + strconv.Itoa(int(c))
}

// Leat error codes. The comment of each is Leat's message.
const (
	CodeInternalError                  Code = 1000  // Internal error.
	CodeInvalidInput                   Code = 1003  // Invalid input. (APIError.Fields says which)
	CodeShopNotFound                   Code = 1008  // Shop not found.
	CodeCardNotActivated               Code = 1010  // Card is not activated.
	CodeCardNotRegistered              Code = 1013  // Card not registered.
	CodeMaxCreditsReached              Code = 1015  // Maximum amount of credits reached.
	CodeInsufficientCredits            Code = 1017  // Insufficient credits.
	CodeRewardOutOfStock               Code = 1018  // The stock on this reward is empty.
	CodeRewardClaimLimitReached        Code = 1019  // You have reached your claim limit on this reward.
	CodePOSTransactionNotFound         Code = 1027  // POS Transaction not found.
	CodeCreditReceptionNotFound        Code = 1028  // Credit reception not found.
	CodeStagedCreditReceptionRedeemed  Code = 1034  // Staged credit reception is already redeemed.
	CodeStagedCreditReceptionNotFound  Code = 1041  // Staged Credit Reception not found.
	CodeCardNotFound                   Code = 1048  // This card was not found
	CodeRewardInactive                 Code = 1052  // Reward is inactive.
	CodeGiftcardProgramNotFound        Code = 1100  // Giftcard Program not found.
	CodeShopNotLinkedToLoyaltyProgram  Code = 1102  // Shop not linked to a Loyalty Program.
	CodeLoyaltyProgramNotFound         Code = 1103  // Loyalty Program not found.
	CodeGiftcardReIncrementable        Code = 1114  // Only non re-incrementable giftcards can be used in the OAuthRoutes Clients API.
	CodeGiftcardNotFound               Code = 5001  // Giftcard not found.
	CodeGiftcardExpired                Code = 5002  // This giftcard has expired.
	CodeInsufficientGiftcardBalance    Code = 5003  // Insufficient amount on giftcard.
	CodeGiftcardNotIncrementable       Code = 5006  // This giftcard cannot be incremented.
	CodeGiftcardNotInProgram           Code = 5007  // Giftcard not linked to Giftcard Program.
	CodeGiftcardMaxAmountExceeded      Code = 5008  // Max amount will be exceeded.
	CodeGiftcardTransactionNotFound    Code = 5010  // Giftcard transaction not found.
	CodePOSTransactionAlreadyLinked    Code = 6001  // The POS transaction is already linked to a credit reception.
	CodeRewardNotFound                 Code = 6003  // Reward not found.
	CodeTemplateVariableMissing        Code = 6007  // The linked template does not contain the right replacement variable.
	CodeAccountInactive                Code = 7002  // Account inactive.
	CodeGiftcardInvalid                Code = 7010  // That giftcard is not valid.
	CodeNoAccountAccess                Code = 7011  // User has no access to this account.
	CodeShopNoGiftcardProgramAccess    Code = 7015  // Shop does not have access to Giftcard Program.
	CodePasscodeNotFound               Code = 13010 // Passcode not found.
	CodeMarketingProgramNotFound       Code = 55004 // Marketing program not found.
	CodeProgramCustomerExists          Code = 55005 // Program customer already exists.
	CodeLoyaltyCardNotFound            Code = 55007 // Loyalty card not found.
	CodeMemberNotFound                 Code = 55012 // Member not found. (legacy v1/v2)
	CodeCardAlreadyLinked              Code = 55016 // The card is already linked to a member.
	CodeMemberExists                   Code = 55017 // Member already exists. (legacy v1/v2)
	CodeLoyaltyProgramInactive         Code = 55018 // Loyalty Program not active.
	CodeRecipientNotFound              Code = 55020 // Recipient not found.
	CodeOnlyDigitalGiftcards           Code = 55021 // Only Digital giftcards can by created using the public API.
	CodeCreditReceptionOtherShop       Code = 55024 // This credit reception was not created by this shop.
	CodeNotLastGiftcardTransaction     Code = 55025 // This is not the giftcards last transaction.
	CodeSubscriptionTypeNotFound       Code = 55030 // Subscription type not found.
	CodeContactNotFound                Code = 55031 // Contact not found.
	CodeUserAppNotFound                Code = 55032 // User app not found.
	CodeUnitExists                     Code = 55045 // Unit already exists.
	CodeNoDefaultUnit                  Code = 55046 // No default unit found.
	CodeUsageLimitReached              Code = 60000 // Usage limit reached.
	CodeCreditReceptionInProgress      Code = 60001 // Credit reception creating in progress.
	CodeContactIdentifierNotFound      Code = 60003 // Contact identifier not found.
	CodeContactIdentifierInactive      Code = 60004 // Contact identifier inactive.
	CodeContactExists                  Code = 60005 // Contact already exists.
	CodeContactIdentifierExists        Code = 60006 // Contact identifier already exists.
	CodeUnitNotFound                   Code = 60007 // Unit not found.
	CodeAttributeExists                Code = 60009 // Attribute already exists.
	CodeContactIdentifierNotLinked     Code = 60011 // Contact identifier is not linked to a contact.
	CodeModelNotFound                  Code = 60013 // Model not found.
	CodeContactIdentifierAlreadyLinked Code = 60014 // Contact identifier is already linked.
	CodeContactNotAnonymous            Code = 60016 // Contact not anonymous.
	CodeCreditsRequired                Code = 60018 // Please submit credits when using v1 (loyalty tokens).
	CodeUnitsRequired                  Code = 60019 // Please submit units when using v2 (loyalty tokens).
	CodePromotionNotFound              Code = 80002 // Promotion not found.
	CodeVoucherExists                  Code = 80003 // Voucher already exists.
	CodeVoucherNotFound                Code = 80004 // Voucher not found.
	CodeVoucherAlreadyRedeemed         Code = 80005 // Voucher code as already been redeemed.
	CodeVoucherExpired                 Code = 80006 // Voucher has expired.
	CodeVoucherLimitReached            Code = 80008 // Voucher limit reached.
	CodeVoucherDeactivated             Code = 80012 // Voucher is deactivated.
	CodeVoucherInactive                Code = 80014 // Voucher is inactive.
	CodeVoucherAlreadyLocked           Code = 80017 // Voucher is already locked.
	CodeVoucherRedemptionsExhausted    Code = 80019 // Voucher doesn't have enough redemptions left.
	CodePromotionInactive              Code = 80020 // Promotion is inactive.
	// CodeNotFoundOrExpired is shared by "Webhook subscription not found.", "Reward not
	// found." and "Reward is expired." (collectable rewards).
	CodeNotFoundOrExpired Code = 80300
)
