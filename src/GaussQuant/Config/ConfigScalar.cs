using System.Globalization;

namespace GaussQuant.Config;

/// <summary>
/// A scalar with the type YAML 1.1 gives it as OmegaConf reads it: null, bool, long, double or string.
/// Strings may hold <c>${a.b}</c> interpolations until the tree is resolved.
/// </summary>
public sealed class ConfigScalar(object? value, ConfigLocation location) : ConfigNode(location)
{
    public object? Value { get; } = value;

    /// <summary>
    /// True for resolved text whose <c>${</c> came from an escape (<c>\${</c>): it is final, and resolving the tree
    /// again (when another key copies the subtree holding it) must not read it as an interpolation.
    /// </summary>
    internal bool IsLiteral { get; init; }

    /// <summary>A string that still holds interpolations to resolve.</summary>
    internal bool IsInterpolation => !IsLiteral && Value is string text && text.Contains("${", StringComparison.Ordinal);

    /// <summary>The value as text, the way an interpolation inside a string prints it (Python's <c>str</c>).</summary>
    public string Text => Value switch
    {
        null => "None",
        bool flag => flag ? "True" : "False",
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => Value.ToString() ?? "",
    };

    internal override ConfigNode Clone(NodeBudget budget)
    {
        budget.Spend(Location);
        return new ConfigScalar(Value, Location) { IsLiteral = IsLiteral };
    }

    public override string ToString() => Text;
}
