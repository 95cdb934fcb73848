using System.Collections.Concurrent;

namespace Havale.Client.Tests;

/// <summary>What the injector does to one attempt.</summary>
public enum Fault
{
    /// <summary>The gateway gets the call and commits it; its answer is lost on the way back (a connection reset).</summary>
    DropAnswerAfterGateway,
    /// <summary>The connection fails before the call reaches the gateway.</summary>
    DropBeforeGateway,
    /// <summary>A proxy in front of the gateway answers 502 without passing the call on.</summary>
    ServerErrorBeforeGateway,
    /// <summary>The call never reaches the gateway and nothing answers until the attempt times out.</summary>
    HangBeforeGateway,
    /// <summary>The gateway gets the call and answers, but the answer never arrives before the attempt times out.</summary>
    HangAfterGateway,
}

/// <summary>One attempt as it went through the injector.</summary>
public sealed record Attempt(HttpMethod Method, string PathAndQuery, string? Body, Fault? Fault, HttpStatusCode? Status)
{
    public string Path => PathAndQuery.Split('?')[0];
}

/// <summary>
/// Sits between the client's retry pipeline and the gateway, so every retry passes through it: it records each
/// attempt and breaks the ones a test planned to break.
/// </summary>
public sealed class FaultInjector : DelegatingHandler
{
    private readonly Lock _gate = new();
    private readonly List<(string PathEnd, Fault Fault)> _planned = [];
    private readonly ConcurrentQueue<Attempt> _attempts = new();
    private readonly ConcurrentQueue<string> _lostAnswers = new();
    private readonly ConcurrentQueue<string> _accessTokens = new();

    public IReadOnlyCollection<Attempt> Attempts => _attempts;

    /// <summary>The bodies of answers the gateway sent that the client never saw.</summary>
    public IReadOnlyCollection<string> LostAnswers => _lostAnswers;

    public IReadOnlyCollection<string> AccessTokensSeen => _accessTokens;

    /// <summary>Called with every answer that reaches the client, before it does.</summary>
    public Func<HttpRequestMessage, HttpResponseMessage, Task>? OnAnswer { get; set; }

    /// <summary>Breaks the next <paramref name="times"/> attempts whose path ends with <paramref name="pathEnd"/>.</summary>
    public void Plan(string pathEnd, Fault fault, int times = 1)
    {
        lock (_gate)
        {
            for (var time = 0; time < times; time++)
            {
                _planned.Add((pathEnd, fault));
            }
        }
    }

    public IReadOnlyList<Attempt> To(string pathEnd) => _attempts.Where(attempt => attempt.Path.EndsWith(pathEnd, StringComparison.Ordinal)).ToList();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var pathAndQuery = request.RequestUri!.PathAndQuery;
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        if (request.Headers.Authorization is { Scheme: "Bearer", Parameter: { } token })
        {
            _accessTokens.Enqueue(token);
        }
        var fault = Take(request.RequestUri.AbsolutePath);
        switch (fault)
        {
            case Fault.DropBeforeGateway:
                _attempts.Enqueue(new Attempt(request.Method, pathAndQuery, body, fault, null));
                throw new HttpRequestException("injected: the connection was reset before the request was sent");
            case Fault.ServerErrorBeforeGateway:
                _attempts.Enqueue(new Attempt(request.Method, pathAndQuery, body, fault, HttpStatusCode.BadGateway));
                return new HttpResponseMessage(HttpStatusCode.BadGateway)
                {
                    Content = new StringContent("<html><body>502 Bad Gateway</body></html>", System.Text.Encoding.UTF8, "text/html"),
                    RequestMessage = request,
                };
            case Fault.HangBeforeGateway:
                _attempts.Enqueue(new Attempt(request.Method, pathAndQuery, body, fault, null));
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                throw new InvalidOperationException("unreachable: an infinite delay ends only by cancellation");
            case Fault.DropAnswerAfterGateway or Fault.HangAfterGateway:
                using (var lost = await base.SendAsync(request, cancellationToken))
                {
                    _lostAnswers.Enqueue(await lost.Content.ReadAsStringAsync(cancellationToken));
                    _attempts.Enqueue(new Attempt(request.Method, pathAndQuery, body, fault, lost.StatusCode));
                }
                if (fault == Fault.HangAfterGateway)
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                }
                throw new HttpRequestException("injected: the connection was reset before the answer arrived");
            default:
                var response = await base.SendAsync(request, cancellationToken);
                _attempts.Enqueue(new Attempt(request.Method, pathAndQuery, body, null, response.StatusCode));
                if (OnAnswer is { } onAnswer)
                {
                    await onAnswer(request, response);
                }
                return response;
        }
    }

    private Fault? Take(string path)
    {
        lock (_gate)
        {
            var index = _planned.FindIndex(planned => path.EndsWith(planned.PathEnd, StringComparison.Ordinal));
            if (index < 0)
            {
                return null;
            }
            var fault = _planned[index].Fault;
            _planned.RemoveAt(index);
            return fault;
        }
    }
}
