namespace Havale.Api.Platform;

/// <summary>
/// How every page Havale shows a person begins (the consent page, the signatory console): Persian, right to left,
/// UTF-8, sized for a phone, titled "… — حواله". Each page adds its own style, header and body after it.
/// </summary>
public static class HtmlPageStart
{
    /// <param name="encodedTitle">The page's title, already HTML-encoded.</param>
    public static string Of(string encodedTitle) => $"""
        <!DOCTYPE html>
        <html lang="fa" dir="rtl">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{encodedTitle} — حواله</title>
        """;
}
