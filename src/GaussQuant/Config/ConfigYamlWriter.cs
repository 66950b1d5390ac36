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

    public static string ToYaml(ConfigMapping root) => ToYaml(root, portable: false);

    /// <summary>
    /// The YAML a model file carries: as <see cref="ToYaml(ConfigMapping)"/>, but every absolute path (e.g. the data
    /// <c>root:</c> of the machine it was trained on) cut to its last component, so a shared model names its data
    /// without the layout of someone's disk. Inference reads nothing from such paths; a run's own config.yaml keeps them.
    /// </summary>
    public static string ToPortableYaml(ConfigMapping root) => ToYaml(root, portable: true);

    /// <summary>Whether <paramref name="text"/> is an absolute path: rooted on Unix (<c>/…</c>) or on Windows (<c>C:\…</c>, <c>\\server\…</c>).</summary>
    public static bool IsAbsolutePath(string text) =>
        text.Length > 1 && (text[0] == '/' || text.StartsWith(@"\\", StringComparison.Ordinal) ||
                            text.Length > 2 && char.IsAsciiLetter(text[0]) && text[1] == ':' && text[2] is '\\' or '/');

    private static string ToYaml(ConfigMapping root, bool portable)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        var emitter = new Emitter(writer);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        Emit(emitter, root, 0, portable);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    /// <summary>Writes <paramref name="root"/> to <paramref name="path"/> through a temporary file, so a crash never leaves half a file.</summary>
    public static void Write(string path, ConfigMapping root)
    {
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(ToYaml(root)));
    }

    private static void Emit(IEmitter emitter, ConfigNode node, int depth, bool portable)
    {
        if (depth > MaxDepth) throw new ConfigException($"{node.Location}: the config is nested too deeply to write", node.Location);
        switch (node)
        {
            case ConfigMapping mapping:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, mapping.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, value) in mapping.Entries)
                {
                    EmitScalar(emitter, key);
                    Emit(emitter, value, depth + 1, portable);
                }
                emitter.Emit(new MappingEnd());
                break;
            case ConfigSequence sequence:
                bool inline = sequence.Items.All(item => item is ConfigScalar);
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, inline ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in sequence.Items) Emit(emitter, item, depth + 1, portable);
                emitter.Emit(new SequenceEnd());
                break;
            case ConfigScalar scalar:
                EmitScalar(emitter, portable && scalar.Value is string path && IsAbsolutePath(path) ? LastComponent(path) : scalar.Value);
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

    private static string LastComponent(string path)
    {
        string trimmed = path.TrimEnd('/', '\\');
        int separator = trimmed.LastIndexOfAny(['/', '\\']);
        return separator >= 0 && separator + 1 < trimmed.Length ? trimmed[(separator + 1)..] : trimmed;
    }

    private static string FloatText(double number)
    {
        if (double.IsNaN(number)) return ".nan";
        if (double.IsInfinity(number)) return number > 0 ? ".inf" : "-.inf";
        string text = number.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.') || text.Contains('E') ? text : text + ".0";
    }
}
