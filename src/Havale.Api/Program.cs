using Havale.Api.Auth;
using Havale.Api.CallLog;
using Havale.Api.Features;
using Havale.Api.Features.Health;
using Havale.Api.Platform.Telemetry;
using Havale.Api.Rails;
using Havale.Api.Sandbox;

var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    // Loopback by default: a sandbox gateway is not something to expose by accident.
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}

builder.Services.AddHavalePlatform();
builder.Services.AddHavaleTelemetry(builder.Configuration);
builder.Services.AddHavaleFloodLimits(builder.Configuration);
builder.Services.AddHavaleStorage(builder.Configuration);
builder.Services.AddHavaleSandbox(builder.Configuration);
builder.Services.AddHavaleCallLog(builder.Configuration);
builder.Services.AddHavaleLedgerAndRails(builder.Configuration);
builder.Services.AddHavaleAuth(builder.Configuration);
builder.Services.AddHavaleFeatures(builder.Configuration);

var app = builder.Build();

app.UseHavalePlatform();
app.MapHavaleDocs();
app.MapHealth();
app.MapHavaleTelemetry();
app.MapHavaleAuth();
app.MapHavaleSandbox();
app.MapHavaleFeatures();
app.MapEndpointModules();

await StorageSetup.MigrateAsync(app.Services, CancellationToken.None);
await app.Services.LoadTokenKeysAsync(CancellationToken.None);
await app.Services.MarkInterruptedCallsAsync(CancellationToken.None);
await app.Services.StartSandboxAsync(CancellationToken.None);
await app.Services.StartLedgerAsync(CancellationToken.None);
app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation(
    "Havale ready in {StartupMs} ms: {Provider}, sandbox {Sandbox}",
    (long)(TimeProvider.System.GetUtcNow() - System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime()).TotalMilliseconds,
    app.Services.GetRequiredService<StorageInfo>().Provider, app.Services.GetRequiredService<SandboxOptions>().Enabled));
await app.RunAsync();

/// <summary>Visible to the test host (WebApplicationFactory).</summary>
public partial class Program;
