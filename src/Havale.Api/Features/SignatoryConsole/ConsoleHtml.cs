using System.Text.Encodings.Web;

namespace Havale.Api.Features.SignatoryConsole;

/// <summary>Who the page is for: their name for the header and the antiforgery token the sign-out form carries.</summary>
public sealed record ConsoleViewer(string FullName, string AntiforgeryToken);

/// <summary>
/// The console's frame, written by hand as the consent page is: Persian, right to left, no script at all, and every
/// value from a request or the database encoded. Styles come from one file of the console's own, so the content
/// security policy needs no 'unsafe-inline'.
/// </summary>
public static class ConsoleHtml
{
    public const string StylesheetPath = "/console/console.css";
    public const string AntiforgeryField = "__RequestVerificationToken";

    // Persian letters stay as they are (a page of &#x...; entries is unreadable in its source); markup characters are still encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    public static string E(string? text) => Encoder.Encode(text ?? "");

    public static string Hidden(string name, string value) => $"<input type=\"hidden\" name=\"{E(name)}\" value=\"{E(value)}\">";

    /// <summary>An identifier (deposit, IBAN, national code) kept left to right inside the Persian text.</summary>
    public static string Code(string text) => $"<bdi dir=\"ltr\" class=\"code\">{E(text)}</bdi>";

    /// <summary>Rials and tomans each kept on one line, with room to break between them in a narrow column.</summary>
    public static string Amount(long amountRials)
        => $"<span class=\"amount\">{E(ConsoleFormat.Rials(amountRials))}</span> <span class=\"amount tomans\">({E(ConsoleFormat.Tomans(amountRials))})</span>";

    public static string Page(string title, string body, ConsoleViewer? viewer)
    {
        var header = viewer is null
            ? "<header><b>حواله</b> — میز امضاداران</header>"
            : $"<header><a href=\"/console\"><b>حواله</b> — میز امضاداران</a><span class=\"who\">{E(viewer.FullName)}</span>"
              + $"<form method=\"post\" action=\"/console/logout\">{Hidden(AntiforgeryField, viewer.AntiforgeryToken)}"
              + "<button id=\"logout\" type=\"submit\" class=\"secondary\">خروج</button></form></header>";
        return $$"""
            {{HtmlPageStart.Of(E(title))}}
            <link rel="stylesheet" href="{{StylesheetPath}}">
            </head>
            <body>
            {{header}}
            <main>
            {{body}}
            </main>
            </body>
            </html>
            """;
    }

    public const string Stylesheet = """
        body { font-family: Vazirmatn, Tahoma, sans-serif; max-width: 64rem; margin: 0 auto; padding: 0 1rem 2rem; line-height: 1.8; color: #1d1d1f; }
        header { display: flex; gap: 1rem; align-items: center; border-bottom: 1px solid #ddd; padding: .6rem 0; margin-bottom: 1rem; }
        header a { color: inherit; text-decoration: none; } header .who { margin-inline-start: auto; } header form { margin: 0; }
        table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.2rem; } th, td { border: 1px solid #ddd; padding: .3rem .5rem; text-align: start; vertical-align: top; }
        th { background: #f4f4f6; } .amount { white-space: nowrap; } .tomans { color: #555; } .code { font-family: monospace; }
        .notice { padding: .6rem 1rem; border-radius: .3rem; margin: .8rem 0; } .ok { background: #e7f6ea; color: #14532d; } .error { background: #fdecec; color: #8a1111; }
        .confirm { border: 2px solid #c9a400; padding: .8rem 1rem; border-radius: .3rem; background: #fffbea; }
        .actions { display: flex; gap: .8rem; flex-wrap: wrap; margin: .8rem 0; } .actions form { margin: 0; }
        a.button, button { display: inline-block; padding: .4rem 1.2rem; border: 1px solid #0b5cad; background: #0b5cad; color: #fff; border-radius: .3rem; text-decoration: none; font: inherit; cursor: pointer; }
        .secondary, a.button.secondary { background: #f4f4f6; color: #1d1d1f; border-color: #bbb; }
        label { display: block; margin-top: .8rem; } input { padding: .4rem; font: inherit; } .login input { width: 100%; box-sizing: border-box; }
        .login { max-width: 26rem; } .muted { color: #666; font-size: .9rem; }
        """;
}
