using GaussQuant.Config;

namespace GaussQuant.Tests.Config;

/// <summary>The string values of a config tree that are absolute paths (what a shared model file must not carry).</summary>
internal static class AbsolutePaths
{
    public static IReadOnlyList<string> In(ConfigNode node) => node switch
    {
        ConfigMapping mapping => mapping.Entries.SelectMany(entry => In(entry.Value)).ToList(),
        ConfigSequence sequence => sequence.Items.SelectMany(In).ToList(),
        ConfigScalar { Value: string text } when ConfigYamlWriter.IsAbsolutePath(text) => [text],
        _ => [],
    };
}
