namespace Havale.Api.Platform;

/// <summary>
/// Routes contributed through dependency injection rather than named in Program.cs. Features are mapped explicitly;
/// this seam is for routes that exist only in some hosts (tests add protected probe routes through it).
/// </summary>
public interface IEndpointModule
{
    void Map(IEndpointRouteBuilder routes);
}
