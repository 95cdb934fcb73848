namespace Havale.Api.Sandbox;

/// <summary>Configuration under <c>Havale:Sandbox</c>.</summary>
public sealed class SandboxOptions
{
    public const string Section = "Havale:Sandbox";

    /// <summary>On for `dotnet run`; false is production mode: no seed is loaded and no /sandbox/ route exists.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The seed to load; the sandbox.json shipped beside the binary when empty.</summary>
    public string? SeedFile { get; set; }

    /// <summary>
    /// A crash drill for tests of the gateway as a process: it SIGKILLs itself right after a write of this trackId
    /// commits, before the answer leaves (CallLog/CallCommits.cs). Empty is off; production mode ignores it.
    /// </summary>
    public string? KillAfterCommitOfTrackId { get; set; }

    public string ResolveSeedFile()
        => string.IsNullOrWhiteSpace(SeedFile) ? Path.Combine(AppContext.BaseDirectory, "sandbox.json") : SeedFile;
}
