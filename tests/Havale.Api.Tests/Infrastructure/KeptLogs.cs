using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Havale.Api.Tests.Infrastructure;

/// <summary>
/// Every log line written through it, at every level, as "level category: message exception": what the tests read to
/// prove that no secret or token reaches a log. The gateway's tests and the client's tests both add it.
/// </summary>
public sealed class KeptLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Kept(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Kept(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
