using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Havale.Domain;

/// <summary>
/// Checks that stay on in Release builds. <see cref="System.Diagnostics.Debug.Assert(bool)"/>
/// is compiled away there, and a ledger must keep refusing to continue from an impossible state
/// in production, where it matters most.
/// </summary>
public static class Invariant
{
    // DoesNotReturnIf lets the compiler's null analysis learn from the check, as it does from an if.
    public static void Holds([DoesNotReturnIf(false)] bool condition, [CallerArgumentExpression(nameof(condition))] string? expression = null)
    {
        if (!condition)
        {
            throw new InvariantViolationException("invariant failed: " + expression);
        }
    }
}
