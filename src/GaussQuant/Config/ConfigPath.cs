using System.Text.RegularExpressions;

namespace GaussQuant.Config;

/// <summary>Dotted key paths (<c>model.params.ch_mult.0</c>, also <c>ch_mult[0]</c>) as OmegaConf writes them.</summary>
internal static partial class ConfigPath
{
    [GeneratedRegex(@"\[(\d+)\]")]
    private static partial Regex BracketIndex();

    public static string Join(IEnumerable<string> segments) => string.Join('.', segments);

    public static string Child(string parent, string key) => parent.Length == 0 ? key : $"{parent}.{key}";

    /// <summary>Splits a path; every segment must be non-empty.</summary>
    public static string[] Split(string path, Func<string, Exception> invalid)
    {
        var segments = BracketIndex().Replace(path, ".$1").Split('.');
        if (path.Length == 0 || segments.Any(segment => segment.Length == 0)) throw invalid($"'{path}' is not a valid key path");
        return segments;
    }
}
