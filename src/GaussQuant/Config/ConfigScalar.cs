using System.Globalization;

namespace GaussQuant.Config;

/// <summary>
/// A scalar with the type YAML 1.1 gives it as OmegaConf reads it: null, bool, long, double or string.
/// Strings may hold <c>${a.b}</c> interpolations until the tree is resolved.
/// </summary>
public sealed class ConfigScalar(object? value, ConfigLocation location) : ConfigNode(location)
{
    public object? Value { get; } = value;

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
        return new ConfigScalar(Value, Location);
    }

    public override string ToString() => Text;
}
