using System.Globalization;
using System.Text.RegularExpressions;

namespace GaussQuant.Config;

/// <summary>
/// Types plain (unquoted) YAML scalars the way OmegaConf's loader does: PyYAML's YAML 1.1 rules for null, bool
/// and int, and OmegaConf's wider float rule that also accepts exponents without a dot (<c>1e-4</c>). Quoted
/// scalars are always strings; <c>None</c> is a string too, as in OmegaConf. Sexagesimal numbers (<c>1:30</c>)
/// and timestamps stay strings.
/// </summary>
internal static partial class YamlScalars
{
    [GeneratedRegex(@"^(?:~|null|Null|NULL|)$")]
    private static partial Regex NullPattern();

    [GeneratedRegex(@"^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$")]
    private static partial Regex TruePattern();

    [GeneratedRegex(@"^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$")]
    private static partial Regex FalsePattern();

    [GeneratedRegex(@"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")]
    private static partial Regex FloatPattern();

    /// <summary>The typed value of a plain scalar: null, bool, long, double or the text itself.</summary>
    public static object? Resolve(string text)
    {
        if (NullPattern().IsMatch(text)) return null;
        if (TruePattern().IsMatch(text)) return true;
        if (FalsePattern().IsMatch(text)) return false;
        if (IntegerPattern().IsMatch(text)) return ParseInteger(text);
        if (FloatPattern().IsMatch(text)) return ParseFloat(text);
        return text;
    }

    /// <summary>The value of a scalar with an explicit YAML tag (<c>!!str</c>, <c>!!int</c>…).</summary>
    public static object? ResolveTagged(string tag, string text) => tag switch
    {
        "tag:yaml.org,2002:str" => text,
        "tag:yaml.org,2002:null" => null,
        "tag:yaml.org,2002:bool" when Resolve(text) is bool flag => flag,
        "tag:yaml.org,2002:int" when IntegerPattern().IsMatch(text) => ParseInteger(text),
        "tag:yaml.org,2002:float" when FloatPattern().IsMatch(text) || IntegerPattern().IsMatch(text) => ParseFloat(text),
        _ => throw new FormatException($"the tag {tag} does not apply to '{text}' or is not supported"),
    };

    private static object ParseInteger(string text)
    {
        string digits = text.Replace("_", "", StringComparison.Ordinal);
        bool negative = digits.StartsWith('-');
        digits = digits.TrimStart('-', '+');
        (int radix, string body) = digits switch
        {
            ['0', 'b', .. var rest] => (2, rest),
            ['0', 'x', .. var rest] => (16, rest),
            ['0', _, ..] => (8, digits[1..]),
            _ => (10, digits),
        };
        try
        {
            long value = radix == 10 ? long.Parse(body, NumberStyles.None, CultureInfo.InvariantCulture) : Convert.ToInt64(body, radix);
            if (radix != 10 && value < 0) throw new OverflowException();
            return negative ? -value : value;
        }
        catch (Exception error) when (error is OverflowException or FormatException or ArgumentException)
        {
            throw new FormatException($"the integer '{text}' is out of range");
        }
    }

    private static double ParseFloat(string text)
    {
        string digits = text.Replace("_", "", StringComparison.Ordinal);
        string lower = digits.ToLowerInvariant();
        if (lower.EndsWith(".inf")) return lower.StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity;
        if (lower == ".nan") return double.NaN;
        return double.Parse(digits, NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
