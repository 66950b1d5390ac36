using System.Globalization;

namespace GaussQuant.IO;

/// <summary>
/// The most memory one untrusted input may make GaussQuant commit: pixels of a decoded (or resized) image, bytes of
/// the float32 weights a config implies, and bytes of the decoder's activations for one batch. Inputs beyond a limit
/// are refused with a message naming the file, the need and the limit, before anything that large is allocated.
/// <see cref="Current"/> is what the library uses; the CLI sets it from <c>GQ_MAX_*</c> environment variables
/// (docs/security.md).
/// </summary>
public sealed record ResourceLimits
{
    public const string ImagePixelsVariable = "GQ_MAX_IMAGE_PIXELS";
    public const string ModelBytesVariable = "GQ_MAX_MODEL_BYTES";
    public const string ActivationBytesVariable = "GQ_MAX_ACTIVATION_BYTES";

    /// <summary>Pixels of one image, as declared by its header or produced by resizing: 2^26 (8192 × 8192) by default.</summary>
    public long MaxImagePixels { get; init; } = 1L << 26;

    /// <summary>Bytes of a model's float32 weights (encoder and decoder): 8 GiB by default.</summary>
    public long MaxModelBytes { get; init; } = 8L << 30;

    /// <summary>Bytes of the activations a decoder may hold at once for one batch: 8 GiB by default.</summary>
    public long MaxActivationBytes { get; init; } = 8L << 30;

    /// <summary>The limits the library applies (process-wide).</summary>
    public static ResourceLimits Current { get; set; } = new();

    /// <summary>
    /// The defaults, with each limit whose variable is set replaced by its value: a positive integer, optionally with
    /// a binary suffix K, M, G or T (<c>GQ_MAX_MODEL_BYTES=16G</c>).
    /// </summary>
    /// <exception cref="ArgumentException">naming the variable whose value is not such a number.</exception>
    public static ResourceLimits FromEnvironment(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var defaults = new ResourceLimits();
        return new ResourceLimits
        {
            MaxImagePixels = Parse(variable, ImagePixelsVariable, defaults.MaxImagePixels),
            MaxModelBytes = Parse(variable, ModelBytesVariable, defaults.MaxModelBytes),
            MaxActivationBytes = Parse(variable, ActivationBytesVariable, defaults.MaxActivationBytes),
        };
    }

    /// <summary>A byte count as people read it: 830.0 MiB, 256.0 GiB.</summary>
    public static string Describe(double bytes)
    {
        string[] units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
        int unit = 0;
        for (; unit < units.Length - 1 && bytes >= 1024; unit++) bytes /= 1024;
        return unit == 0 ? $"{bytes:0} bytes" : string.Create(CultureInfo.InvariantCulture, $"{bytes:0.0} {units[unit]}");
    }

    private static long Parse(Func<string, string?> variable, string name, long fallback)
    {
        string? text = variable(name)?.Trim();
        if (string.IsNullOrEmpty(text)) return fallback;
        int shift = char.ToUpperInvariant(text[^1]) switch { 'K' => 10, 'M' => 20, 'G' => 30, 'T' => 40, _ => 0 };
        string digits = shift == 0 ? text : text[..^1];
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long value) || value <= 0
            || value > long.MaxValue >> shift)
            throw new ArgumentException($"{name}={text}: expected a positive whole number, optionally followed by K, M, G or T");
        return value << shift;
    }
}
