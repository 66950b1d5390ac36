using System.Globalization;
using System.Net;

namespace GaussQuant.Reports.Html;

/// <summary>Small helpers for writing HTML text safely and numbers the same way everywhere on a page.</summary>
internal static class Html
{
    /// <summary>Text or an attribute value, escaped (&amp;, &lt;, &gt;, quotes).</summary>
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static string Number(double value, string format) => double.IsPositiveInfinity(value) ? "∞"
        : value.ToString(format, CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The exact value for a <c>data-value</c> attribute (round-trip), so tests can compare it with the JSON report.</summary>
    public static string Exact(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>An SVG coordinate, one decimal.</summary>
    public static string Coordinate(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    public static string Image(EmbeddedImage image, string cssClass = "") =>
        $"<img src=\"{image.DataUri}\" width=\"{image.Width}\" height=\"{image.Height}\" alt=\"{Encode(image.AlternativeText)}\"" +
        (cssClass.Length > 0 ? $" class=\"{cssClass}\"" : "") + " loading=\"lazy\" decoding=\"async\">";
}
