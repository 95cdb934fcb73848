using System.Threading.Channels;

namespace Havale.Api.Storage;

/// <summary>
/// Group commit in the gateway: callers submit one piece of work each and wait; a few writer loops each take whatever
/// is waiting (no fixed wait: a lone caller is served at once, a crowd is served together), up to a capped batch, and
/// apply the batch in one database transaction. A commit costs about the same for one payment as for a hundred, so
/// under load the cost of the commit is shared. Every item gets its own result; when a batch fails as a whole (the
/// database went away), every caller in it gets that exception and nothing of the batch was written.
/// </summary>
public sealed class GroupCommitter<TItem, TResult> : IAsyncDisposable
{
    /// <summary>Waiting items beyond this make callers wait to submit: memory stays bounded under any flood.</summary>
    public const int QueuedItemsMax = 100_000;

    private readonly Func<IReadOnlyList<TItem>, CancellationToken, Task<TResult[]>> _apply;
    private readonly int _batchItemsMax;
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(QueuedItemsMax)
    {
        SingleReader = false,
        SingleWriter = false,
        FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task[] _writers;
    private long _batchesApplied;
    private long _itemsApplied;
    private int _disposed;

    /// <param name="apply">Applies one batch in one transaction; returns one result per item, in the items' order.</param>
    /// <param name="batchItemsMax">The most items in one batch (bounds a transaction's size and its lock time).</param>
    /// <param name="batchesInFlightMax">How many batches may be applied at once: while one commits, the next is read and locked.</param>
    public GroupCommitter(Func<IReadOnlyList<TItem>, CancellationToken, Task<TResult[]>> apply, int batchItemsMax, int batchesInFlightMax)
    {
        Invariant.Holds(batchItemsMax is >= 1 and <= 10_000);
        Invariant.Holds(batchesInFlightMax is >= 1 and <= 64);
        _apply = apply;
        _batchItemsMax = batchItemsMax;
        _writers = Enumerable.Range(0, batchesInFlightMax).Select(_ => Task.Run(WriteLoopAsync)).ToArray();
    }

    public long BatchesApplied => Interlocked.Read(ref _batchesApplied);

    public long ItemsApplied => Interlocked.Read(ref _itemsApplied);

    /// <summary>
    /// Submits one item and waits for its batch to commit. The caller's cancellation stops the wait only before the
    /// item is queued: once queued, the item is applied whatever the caller does, so its outcome is never in doubt.
    /// </summary>
    public async Task<TResult> SubmitAsync(TItem item, CancellationToken cancellationToken)
    {
        var pending = new Pending(item, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        return await pending.Completion.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(_batchItemsMax);
        var items = new List<TItem>(_batchItemsMax);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(_stopping.Token))
            {
                batch.Clear();
                items.Clear();
                while (batch.Count < _batchItemsMax && _queue.Reader.TryRead(out var next))
                {
                    batch.Add(next);
                    items.Add(next.Item);
                }
                if (batch.Count == 0)
                {
                    continue;
                }
                await ApplyAsync(batch, items);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down: what is still queued is failed below, so no caller waits for ever.
        }
    }

    private async Task ApplyAsync(List<Pending> batch, List<TItem> items)
    {
        try
        {
            // The batch is applied even while the host stops: its callers are waiting and it is one short transaction.
            var results = await _apply(items, CancellationToken.None);
            Invariant.Holds(results.Length == batch.Count);
            Interlocked.Increment(ref _batchesApplied);
            Interlocked.Add(ref _itemsApplied, batch.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(results[i]);
            }
        }
        catch (Exception exception)
        {
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(exception);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // A host may dispose its services more than once (test fixtures do); the first call does the work.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _stopping.CancelAsync();
        while (_queue.Reader.TryRead(out var left))
        {
            left.Completion.TrySetException(new OperationCanceledException("the gateway is stopping"));
        }
        _stopping.Dispose();
    }

    private sealed record Pending(TItem Item, TaskCompletionSource<TResult> Completion);
}
