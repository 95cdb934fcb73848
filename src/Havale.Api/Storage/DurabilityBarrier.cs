using Npgsql;

namespace Havale.Api.Storage;

/// <summary>
/// Waits until commits made earlier with <see cref="CommitDurability.Deferred"/> are on disk (PostgreSQL). A deferred
/// commit releases its row locks as soon as its WAL is written, before the disk has it, so the next batch can lock the
/// same hot rows at once instead of waiting out the fsync; the batch's callers are answered only after this barrier.
/// One barrier is a tiny durable commit that writes WAL (a transactional logical message, which any wal_level
/// accepts): PostgreSQL flushes its WAL in order, so when that commit is on disk every commit before it is too.
/// Waiters are served in rounds: everyone waiting when a round starts shares its one flush, and whoever arrives during
/// a round waits for the next (their commit may have come after the flush began).
/// </summary>
public sealed class DurabilityBarrier : IAsyncDisposable
{
    private const string Flush = "SELECT pg_logical_emit_message(true, 'havale.durable', '')";

    private readonly NpgsqlDataSource _dataSource;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _wanted = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private TaskCompletionSource _round = NewRound();
    private bool _isWanted;
    private long _flushes;

    public DurabilityBarrier(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>How many flushes this node has run (each served every waiter of its round).</summary>
    public long Flushes => Interlocked.Read(ref _flushes);

    /// <summary>
    /// Completes when every commit that returned before this call is on disk; throws the flush's error if the database
    /// failed meanwhile (the commits may then be on disk or not, as with a failed commit).
    /// </summary>
    public Task WaitAsync()
    {
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return Task.FromException(new OperationCanceledException("the gateway is stopping"));
            }
            if (!_isWanted)
            {
                _isWanted = true;
                _wanted.Release();
            }
            return _round.Task;
        }
    }

    private async Task LoopAsync()
    {
        try
        {
            while (true)
            {
                await _wanted.WaitAsync(_stopping.Token);
                TaskCompletionSource round;
                lock (_gate)
                {
                    Invariant.Holds(_isWanted);
                    round = _round;
                    _round = NewRound();
                    _isWanted = false;
                }
                try
                {
                    // Not cancelled by shutdown: waiters of this round are owed an answer, and the flush is short.
                    await using var command = _dataSource.CreateCommand(Flush);
                    await command.ExecuteNonQueryAsync(CancellationToken.None);
                    Interlocked.Increment(ref _flushes);
                    round.SetResult();
                }
                catch (Exception exception)
                {
                    round.SetException(exception);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            lock (_gate)
            {
                _round.TrySetException(new OperationCanceledException("the gateway is stopping"));
            }
        }
    }

    private static TaskCompletionSource NewRound() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        lock (_gate)
        {
            _stopping.Cancel();
        }
        // The semaphore and the token source are left to the collector: a late WaitAsync must still find them.
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
