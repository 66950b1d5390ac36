using System.Globalization;

namespace GaussQuant.Reports.Html;

/// <summary>Small helpers for writing HTML text safely and numbers the same way everywhere on a page.</summary>
internal static class Html
{
    /// <summary>
    /// Text or an attribute value with the five markup characters escaped; everything else stays as it is (the page is
    /// UTF-8, and "±" reads better in the source than WebUtility's "&amp;#177;").
    /// </summary>
    public static string Encode(string? text) => (text ?? "")
        .Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;").Replace("'", "&#39;");

    public static string Number(double value, string format) => double.IsPositiveInfinity(value) ? "∞"
        : value.ToString(format, CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The exact value for a <c>data-value</c> attribute (round-trip), so tests can compare it with the JSON report.</summary>
    public static string Exact(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>An SVG coordinate, one decimal.</summary>
    public static string Coordinate(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>
    /// An embedded picture. Not <c>loading="lazy"</c>: the bytes are in the page already, so deferring saves nothing,
    /// and an image below the fold would count as not loaded when the page checks itself.
    /// </summary>
    public static string Image(EmbeddedImage image, string cssClass = "") =>
        $"<img src=\"{image.DataUri}\" width=\"{image.Width}\" height=\"{image.Height}\" alt=\"{Encode(image.AlternativeText)}\"" +
        (cssClass.Length > 0 ? $" class=\"{cssClass}\"" : "") + " decoding=\"async\">";
}
