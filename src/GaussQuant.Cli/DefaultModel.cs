using GaussQuant.Models;

namespace GaussQuant.Cli;

/// <summary>The library's <see cref="BuiltInModel"/>, with the errors worded for gq's options.</summary>
internal static class DefaultModel
{
    /// <exception cref="ArgumentException">when this build has no default model (a usage error: name one).</exception>
    public static string File() => BuiltInModel.IsAvailable
        ? BuiltInModel.File()
        : throw new ArgumentException("this build has no default model; pass --config and --ckpt");

    public static IReadOnlyList<string> SampleImages()
    {
        var samples = BuiltInModel.SampleImages();
        return samples.Count > 0 ? samples
            : throw new ArgumentException("this build has no sample images; name some images to run the demo on");
    }
}
