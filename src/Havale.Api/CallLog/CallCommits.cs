using System.Data.Common;

namespace Havale.Api.CallLog;

/// <summary>
/// The commits of one call whose every write goes through the request's <see cref="HavaleDb"/>
/// (<see cref="CallLogMetadata.RerunsUncommittedWrites"/>, the Kilid order writes). Each commit marks the call's work
/// committed inside its own transaction; and once the handler has said what its answer is (<see cref="WriteAnswers"/>),
/// the commit stores that answer too, so the call is completed by the very commit that does its work. A gateway's end
/// at any moment then leaves either nothing done (a retry runs afresh) or the work with its answer (a retry is given
/// it): never work without an answer.
/// </summary>
public sealed class CallCommits(long callId, string trackId, SqlDialect dialect, TimeProvider clock, CrashDrill drill) : ICommitHook
{
    private Func<CancellationToken, Task<StoredAnswer>>? _answer;
    private StoredAnswer? _storing;

    /// <summary>The answer the last commit stored with the work; null when no commit stored one.</summary>
    public StoredAnswer? CommittedAnswer { get; private set; }

    /// <summary>How to read the answer inside a commit; set once, before the write commits.</summary>
    public void AnswerWith(Func<CancellationToken, Task<StoredAnswer>> answer)
    {
        Invariant.Holds(_answer is null);
        _answer = answer;
    }

    public async Task BeforeCommitAsync(DbTransaction transaction, CancellationToken cancellationToken)
    {
        _storing = _answer is null ? null : await _answer(cancellationToken);
        var step = new SqlStep(transaction.Connection!, transaction).Add(CallLogSql.MarkWorkCommitted, dialect.Bool(true), callId);
        if (_storing is { } answer)
        {
            step.Add(CallLogSql.Complete, CallLogSql.CompleteValues(callId, answer.Status, answer.ContentType, answer.Body, clock.GetUtcNow(), dialect));
        }
        await step.RunAsync(cancellationToken);
    }

    /// <summary>
    /// A commit the database never answered: its work, and the answer stored with it, may be on disk. The caller must
    /// then be told that the outcome is not known, and nothing else may be stored as the call's answer.
    /// </summary>
    public bool IsCommitUnanswered { get; private set; }

    public void Committed()
    {
        CommittedAnswer = _storing ?? CommittedAnswer;
        _storing = null;
        drill.AfterCommitOf(trackId);
    }

    public void CommitFailed(Exception exception)
    {
        _storing = null;
        IsCommitUnanswered |= CommitOutcomeUnknownException.IsUnanswered(exception);
    }
}

/// <summary>
/// The answer of a write handler, read inside the write's own transaction when the call log keeps its calls (so that
/// the answer commits with the work: <see cref="CallCommits"/>), or after the write when it does not.
/// </summary>
public static class WriteAnswers
{
    /// <summary>Say, before the write commits, how its answer is read; then give <see cref="WriteAnswer{TResult}.ResultAsync"/> as the answer.</summary>
    public static WriteAnswer<TResult> Prepare<TResult>(HttpContext context, Func<CancellationToken, Task<TResult>> read) where TResult : IResult
    {
        var answer = new WriteAnswer<TResult>(read);
        context.Features.Get<CallCommits>()?.AnswerWith(async cancellationToken => StoredAnswer.Of(await answer.ReadInCommitAsync(cancellationToken)));
        return answer;
    }
}

public sealed class WriteAnswer<TResult>(Func<CancellationToken, Task<TResult>> read) where TResult : IResult
{
    private TResult? _readInCommit;

    internal async Task<TResult> ReadInCommitAsync(CancellationToken cancellationToken) => _readInCommit = await read(cancellationToken);

    /// <summary>
    /// The answer read in the write's commit; or read now when nothing committed (a write that found nothing to change,
    /// such as signing twice, or a call the log does not keep).
    /// </summary>
    public async Task<TResult> ResultAsync(CancellationToken cancellationToken) => _readInCommit ?? await read(cancellationToken);
}

/// <summary>
/// A crash drill for the sandbox's own tests (Havale:Sandbox:KillAfterCommitOfTrackId): the process SIGKILLs itself
/// in the moment after a write of that trackId commits and before its answer leaves, the worst moment for a retry. Off
/// unless set, and never on outside the sandbox.
/// </summary>
public sealed class CrashDrill(string? killAfterCommitOfTrackId)
{
    public static readonly CrashDrill Off = new(null);

    public void AfterCommitOf(string trackId)
    {
        if (killAfterCommitOfTrackId is not null && string.Equals(trackId, killAfterCommitOfTrackId, StringComparison.Ordinal))
        {
            System.Diagnostics.Process.GetCurrentProcess().Kill();
        }
    }
}
