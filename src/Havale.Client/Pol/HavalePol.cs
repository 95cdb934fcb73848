using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;

namespace Havale.Client;

/// <summary>
/// Oak: Pol instant payment and its inquiries (spec §3), with one credential. instantPayment takes a customer's
/// authorization-code token; ibanInquiry a client-credential one.
/// </summary>
public sealed class HavalePol
{
    private readonly HavaleTokens _tokens;
    private readonly HavaleCredential _credential;
    private readonly HavaleClientOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;

    internal HavalePol(HavaleTokens tokens, HavaleCredential credential, HavaleClientOptions options, TimeProvider clock, ILogger logger)
    {
        _tokens = tokens;
        _credential = credential;
        _options = options;
        _clock = clock;
        _logger = logger;
    }

    private string Base => $"/oak/v2/clients/{Uri.EscapeDataString(_options.ClientId)}";

    /// <summary>
    /// Pays by Pol. The trackId (given, or made and returned in the result) makes the payment happen at most once:
    /// a lost answer, a timed-out attempt or a 5xx is sent again with it, and the gateway answers the repeat with
    /// the first answer. A 408 is never sent again: the client asks transaction inquiry, within
    /// <see cref="HavaleRetryOptions.TimeoutResolutionWait"/>, and says so in the result. A refusal (bad input,
    /// over a limit, Pol closed) throws <see cref="HavaleApiException"/>; a bank's refusal is <see cref="PolOutcome.Failed"/>.
    /// </summary>
    public async Task<PolPaymentResult> PayAsync(PolPayment payment, string? trackId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payment);
        if (payment.AmountRials <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(payment), payment.AmountRials, "a payment's amount is a positive number of rials");
        }
        var id = TrackIds.OrNew(trackId);
        var answer = await _tokens.SendAsync(_credential, new HavaleRequest(HttpMethod.Post, $"{Base}/instantPayment?trackId={id}", payment, id),
            cancellationToken).ConfigureAwait(false);
        if (answer.Status == HttpStatusCode.RequestTimeout)
        {
            return await ResolveTimeoutAsync(id, answer.IsReplayed, cancellationToken).ConfigureAwait(false);
        }
        if (!answer.IsSuccess)
        {
            throw answer.Error();
        }
        var paid = answer.Flat<PolPaymentAnswer>();
        // The seed's own example answer has no state: a 200 without one is a payment made.
        var hasState = answer.Body.TryGetProperty("state", out _);
        var outcome = paid.State switch
        {
            PaymentState.Done => PolOutcome.Paid,
            PaymentState.Failed => PolOutcome.Failed,
            PaymentState.Unknown => hasState ? PolOutcome.Unknown : PolOutcome.Paid,
        };
        return new PolPaymentResult { TrackId = id, Outcome = outcome, Answer = paid, WasReplayed = answer.IsReplayed };
    }

    /// <summary>Whether a Pol payment to <paramref name="destinationIban"/> (of <paramref name="amountRials"/>) can be made now, and to whom.</summary>
    public async Task<PolInquiry> PolInquiryAsync(string destinationIban, long? amountRials = null, string? trackId = null,
        CancellationToken cancellationToken = default)
    {
        var id = TrackIds.OrNew(trackId);
        var query = $"trackId={id}&destinationNumber={Uri.EscapeDataString(destinationIban)}"
                    + (amountRials is { } amount ? "&amount=" + amount.ToString(CultureInfo.InvariantCulture) : "");
        return await GetResultAsync<PolInquiry>($"{Base}/polInquiry?{query}", id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What became of the call made with <paramref name="inquiryTrackId"/>: Done, Failed, Pending or Unresolved (the wire's UNKNOWN).</summary>
    public async Task<TransactionInquiry> TransactionInquiryAsync(string inquiryTrackId, string? trackId = null, CancellationToken cancellationToken = default)
    {
        var id = TrackIds.OrNew(trackId);
        var asked = TrackIds.OrNew(inquiryTrackId);
        return await GetResultAsync<TransactionInquiry>($"{Base}/transactionInquiry?trackId={id}&inquiryTrackId={asked}", id, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Who holds an IBAN, at which bank, and whether it can receive money (a client-credential token).</summary>
    public async Task<IbanInquiry> IbanInquiryAsync(string iban, string? trackId = null, CancellationToken cancellationToken = default)
    {
        var id = TrackIds.OrNew(trackId);
        return await GetResultAsync<IbanInquiry>($"{Base}/ibanInquiry?trackId={id}&iban={Uri.EscapeDataString(iban)}", id, cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<T> GetResultAsync<T>(string pathAndQuery, string trackId, CancellationToken cancellationToken)
    {
        var answer = await _tokens.SendAsync(_credential, new HavaleRequest(HttpMethod.Get, pathAndQuery, TrackId: trackId), cancellationToken)
            .ConfigureAwait(false);
        return answer.IsSuccess ? answer.Result<T>() : throw answer.Error();
    }

    /// <summary>
    /// After a 408 the payment is the gateway's to finish: the money is held until the bank answers. Asks transaction
    /// inquiry until it is final or the bounded wait is over; whichever comes first is the result.
    /// </summary>
    private async Task<PolPaymentResult> ResolveTimeoutAsync(string trackId, bool wasReplayed, CancellationToken cancellationToken)
    {
        var retry = _options.Retry;
        _logger.LogWarning("Havale instantPayment (trackId {TrackId}) answered 408: not sending it again, asking transaction inquiry for up to {WaitSeconds} s",
            trackId, retry.TimeoutResolutionWait.TotalSeconds);
        var deadline = _clock.GetTimestamp();
        TransactionInquiry? last = null;
        var inquiries = 0;
        while (inquiries < HavaleRetryOptions.TimeoutInquiriesMax)
        {
            try
            {
                last = await TransactionInquiryAsync(trackId, cancellationToken: cancellationToken).ConfigureAwait(false);
                inquiries++;
            }
            catch (HavaleApiException exception) when (!exception.IsOutcomeUnknown && exception.HttpStatus is { } status && (int)status < 500)
            {
                // Without transaction inquiry's scope, or at a gateway without the service, the 408 stays unresolved here.
                _logger.LogWarning("Havale transactionInquiry for {TrackId} refused ({Code}); the payment stays unresolved", trackId, exception.Code);
                inquiries++;
                break;
            }
            if (last.State is TransactionState.Done or TransactionState.Failed
                || _clock.GetElapsedTime(deadline) + retry.TimeoutResolutionInterval > retry.TimeoutResolutionWait)
            {
                break;
            }
            await Task.Delay(retry.TimeoutResolutionInterval, cancellationToken).ConfigureAwait(false);
        }
        var outcome = last?.State switch
        {
            TransactionState.Done => PolOutcome.Paid,
            TransactionState.Failed => PolOutcome.Failed,
            _ => PolOutcome.Unresolved,
        };
        return new PolPaymentResult
        {
            TrackId = trackId,
            Outcome = outcome,
            WasResolvedThroughInquiry = true,
            Inquiry = last,
            InquiriesMade = inquiries,
            WasReplayed = wasReplayed,
            Answer = last?.Response is { ValueKind: JsonValueKind.Object } response && response.TryGetProperty("originKey", out _)
                ? response.Deserialize<PolPaymentAnswer>(HavaleJson.Options)
                : null,
        };
    }
}
