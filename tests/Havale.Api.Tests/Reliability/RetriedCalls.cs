using System.Collections.Concurrent;
using System.Diagnostics;

namespace Havale.Api.Tests.Reliability;

/// <summary>
/// The clients of a kill run: each call is sent again, with its trackId and its bytes unchanged, until it has an answer
/// (200 or 400), as issue #10 asks of a client that retries. A connection that fails (its node was killed, or is
/// down) sends the retry to the next node, as a load balancer would; 408, 503 and 429 are retried shortly; a 409 that
/// says the first call is still in progress is retried (its node was killed and is not yet known to be gone). Any other
/// answer ends the call, so that the run's checks see it.
/// </summary>
internal sealed class RetriedCalls(int nodeCount, TimeSpan within)
{
    private const string StillInProgress = "is still in progress";
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _inProgressRetries;

    /// <summary>The status of every answer given, retries included; a cut-off connection gives none.</summary>
    public ConcurrentBag<int> Statuses { get; } = [];

    public int InProgressRetries => _inProgressRetries;

    public bool HasTimeLeft => _clock.Elapsed < within;

    public int NodeCount => nodeCount;

    public Client ClientOn(int node) => new(this, node);

    public string StatusSummary()
        => string.Join(' ', Statuses.GroupBy(status => status).OrderBy(group => group.Key).Select(group => $"{group.Key}×{group.Count()}"));

    /// <summary>One client: it keeps to its node until that node stops answering.</summary>
    internal sealed class Client(RetriedCalls calls, int node)
    {
        private int _node = node;

        /// <summary>The call's answer, or null when the run's time ran out first; <paramref name="send"/> sends it to the node given.</summary>
        public async Task<Answer?> UntilAnsweredAsync(Func<int, Task<Answer>> send)
        {
            while (calls.HasTimeLeft)
            {
                Answer answer;
                try
                {
                    answer = await send(_node);
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    _node = (_node + 1) % calls.NodeCount;
                    await Task.Delay(50);
                    continue;
                }
                if (answer.Status == HttpStatusCode.Conflict && answer.Raw.Contains(StillInProgress, StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref calls._inProgressRetries);
                    await Task.Delay(200);
                    continue;
                }
                calls.Statuses.Add((int)answer.Status);
                if (answer.Status is HttpStatusCode.RequestTimeout or HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests)
                {
                    await Task.Delay(100);
                    continue;
                }
                return answer;
            }
            return null;
        }
    }
}
