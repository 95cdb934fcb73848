using Havale.Api.Accounts;
using Havale.Api.Ledger;

namespace Havale.Api.Rails;

public enum BankAnswerKind
{
    /// <summary>The destination bank credited its customer.</summary>
    Accepted,
    /// <summary>The destination bank refused the payment; the reason says why.</summary>
    Rejected,
    /// <summary>The destination bank refused to take the request at all (down); nothing reached it.</summary>
    Unavailable,
    /// <summary>The request was sent but no answer came back in time; the outcome is unknown until asked again.</summary>
    NoAnswer,
    /// <summary>Asked about a payment, the bank says it never received it.</summary>
    NotReceived,
}

public sealed record BankAnswer(BankAnswerKind Kind, string? Reason = null);

/// <summary>One payment leaving the host bank for another bank; the reference identifies it on both sides.</summary>
public sealed record InterbankPayment(RailKind Rail, string Reference, Iban Destination, Rials Amount);

/// <summary>
/// The seam where a real connection to the interbank network (Pol, Paya) plugs in. Havale ships a simulated one.
/// Both calls must be idempotent by reference: sending the same payment twice is the same payment, and asking
/// never changes the outcome.
/// </summary>
public interface IInterbankNetwork
{
    Task<BankAnswer> SendAsync(InterbankPayment payment, CancellationToken cancellationToken);

    /// <summary>
    /// Many payments to one bank in one request, as a Paya cycle's file goes: one answer per payment, in order. Each is
    /// the same payment (and answer) as if it had been sent alone.
    /// </summary>
    Task<IReadOnlyList<BankAnswer>> SendManyAsync(string bankCode, IReadOnlyList<InterbankPayment> payments, CancellationToken cancellationToken);

    /// <summary>What became of a payment sent earlier (after no answer, or after a crash).</summary>
    Task<BankAnswer> AskAsync(InterbankPayment payment, CancellationToken cancellationToken);

    /// <summary>Who holds an account at another bank, and whether it can receive money (IBAN and Pol inquiry).</summary>
    Task<LookedUpIban> LookUpAsync(Iban iban, CancellationToken cancellationToken);
}

public enum LookupOutcome
{
    Found,
    NotFound,
    /// <summary>The owning bank did not answer (down or timing out).</summary>
    Unreachable,
}

public sealed record AccountOwner(string FirstName, string LastName);

public sealed record LookedUpIban(LookupOutcome Outcome, AccountStatus? Status = null, IReadOnlyList<AccountOwner>? Owners = null);
