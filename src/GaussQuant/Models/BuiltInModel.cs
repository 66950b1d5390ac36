using System.Reflection;
using GaussQuant.IO;

namespace GaussQuant.Models;

/// <summary>
/// The model built into GaussQuant: <c>models/default/model.safetensors</c> in the repository (trained by <c>gq train</c>,
/// so it carries its own config), embedded in this assembly when it exists at build time, with held-out sample images
/// of its training data. The loaders take paths, so each resource is copied once into a per-user cache folder named
/// after this build (its module version id, which changes whenever the embedded files do) and read from there.
/// Load it with <c>Experiments.TokenizerModel.LoadBuiltIn</c>.
/// </summary>
public static class BuiltInModel
{
    internal const string WeightsResource = "GaussQuant.BuiltInModel.model.safetensors";

    private const string SamplePrefix = "GaussQuant.BuiltInModel.samples.";

    private static readonly Assembly Assembly = typeof(BuiltInModel).Assembly;

    /// <summary>Whether this build embeds the model (a build from a checkout without the file has none).</summary>
    public static bool IsAvailable => Assembly.GetManifestResourceInfo(WeightsResource) is not null;

    /// <summary>The built-in model file (weights and config), extracted to the cache on first use.</summary>
    /// <exception cref="InvalidOperationException">when this build has no built-in model.</exception>
    public static string File()
    {
        if (!IsAvailable)
            throw new InvalidOperationException(
                "this GaussQuant build has no built-in model: models/default/model.safetensors was absent when it was built");
        return Extract(WeightsResource, Path.Combine(BuildCache(), "model.safetensors"));
    }

    /// <summary>Held-out images of the data the built-in model was trained on, as PNG files, in name order.</summary>
    public static IReadOnlyList<string> SampleImages()
    {
        var names = Assembly.GetManifestResourceNames().Where(name => name.StartsWith(SamplePrefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
        string folder = Path.Combine(BuildCache(), "samples");
        return names.Select(name => Extract(name, Path.Combine(folder, name[SamplePrefix.Length..]))).ToList();
    }

    /// <summary>A cache folder of this build: its module version id changes whenever the embedded files do.</summary>
    private static string BuildCache() =>
        Path.Combine(UserCache.Root(), "default-model", Assembly.ManifestModule.ModuleVersionId.ToString("N"));

    private static string Extract(string resource, string path)
    {
        using var content = Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the embedded resource {resource} is missing from this build");
        return UserCache.ExtractTo(content, path);
    }
}
