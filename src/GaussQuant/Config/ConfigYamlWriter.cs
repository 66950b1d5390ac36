using System.Text;
using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using GaussQuant.IO;

namespace GaussQuant.Config;

/// <summary>
/// Writes a (resolved) config tree back as YAML that reads back to the same values: strings that would otherwise
/// be read as numbers, booleans or null are quoted, floats always look like floats, lists of plain values are
/// written inline, and a literal <c>${</c> is escaped.
/// </summary>
public static class ConfigYamlWriter
{
    private const int MaxDepth = 1000;

    public static string ToYaml(ConfigMapping root)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        var emitter = new Emitter(writer);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        Emit(emitter, root, 0);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    /// <summary>Writes <paramref name="root"/> to <paramref name="path"/> through a temporary file, so a crash never leaves half a file.</summary>
    public static void Write(string path, ConfigMapping root)
    {
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(ToYaml(root)));
    }

    private static void Emit(IEmitter emitter, ConfigNode node, int depth)
    {
        if (depth > MaxDepth) throw new ConfigException($"{node.Location}: the config is nested too deeply to write", node.Location);
        switch (node)
        {
            case ConfigMapping mapping:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, mapping.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, value) in mapping.Entries)
                {
                    EmitScalar(emitter, key);
                    Emit(emitter, value, depth + 1);
                }
                emitter.Emit(new MappingEnd());
                break;
            case ConfigSequence sequence:
                bool inline = sequence.Items.All(item => item is ConfigScalar);
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, inline ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in sequence.Items) Emit(emitter, item, depth + 1);
                emitter.Emit(new SequenceEnd());
                break;
            case ConfigScalar scalar:
                EmitScalar(emitter, scalar.Value);
                break;
        }
    }

    private static void EmitScalar(IEmitter emitter, object? value)
    {
        // A resolved value is final: a literal "${" in it must not be read as an interpolation again.
        if (value is string raw) value = raw.Replace("${", "\\${", StringComparison.Ordinal);
        var (text, style) = value switch
        {
            null => ("null", ScalarStyle.Plain),
            bool flag => (flag ? "true" : "false", ScalarStyle.Plain),
            long integer => (integer.ToString(CultureInfo.InvariantCulture), ScalarStyle.Plain),
            double number => (FloatText(number), ScalarStyle.Plain),
            string plain when YamlScalars.Resolve(plain) is string same && same == plain => (plain, ScalarStyle.Any),
            string other => (other, ScalarStyle.DoubleQuoted),
            _ => throw new ArgumentException($"a config scalar cannot hold a {value.GetType().Name}"),
        };
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, text, style, true, true));
    }

    private static string FloatText(double number)
    {
        if (double.IsNaN(number)) return ".nan";
        if (double.IsInfinity(number)) return number > 0 ? ".inf" : "-.inf";
        string text = number.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.') || text.Contains('E') ? text : text + ".0";
    }
}
