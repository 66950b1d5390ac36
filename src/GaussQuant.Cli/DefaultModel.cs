using System.Reflection;

namespace GaussQuant.Cli;

/// <summary>
/// The model built into gq: <c>models/default/model.safetensors</c> in the repository (trained by <c>gq train</c>, so it
/// carries its own config), embedded in this assembly when it exists at build time. The loaders take paths, so the
/// resource is copied once into a per-user cache folder named after this build (its module version id, which changes
/// whenever the embedded file does) and read from there.
/// </summary>
internal static class DefaultModel
{
    public const string WeightsResource = "GaussQuant.DefaultModel.model.safetensors";

    /// <summary>Held-out images of the data the default model was trained on, for <c>gq demo</c>.</summary>
    private const string SamplePrefix = "GaussQuant.DefaultModel.samples.";

    private static readonly Assembly Assembly = typeof(DefaultModel).Assembly;

    public static bool IsEmbedded => Assembly.GetManifestResourceInfo(WeightsResource) is not null;

    /// <summary>The default model file (weights and config).</summary>
    /// <exception cref="ArgumentException">when this build has no default model.</exception>
    public static string File()
    {
        if (!IsEmbedded)
            throw new ArgumentException("this build has no default model; pass --config and --ckpt");
        return Extract(WeightsResource, Path.Combine(BuildCache(), "model.safetensors"));
    }

    /// <summary>The sample images embedded beside the default model, as files, in name order.</summary>
    public static IReadOnlyList<string> SampleImages()
    {
        var names = Assembly.GetManifestResourceNames().Where(name => name.StartsWith(SamplePrefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
            throw new ArgumentException("this build has no sample images; name some images to run the demo on");
        string folder = Path.Combine(BuildCache(), "samples");
        return names.Select(name => Extract(name, Path.Combine(folder, name[SamplePrefix.Length..]))).ToList();
    }

    /// <summary>A cache folder of this build: its module version id changes whenever the embedded files do.</summary>
    private static string BuildCache() =>
        Path.Combine(CacheRoot(), "default-model", Assembly.ManifestModule.ModuleVersionId.ToString("N"));

    /// <summary>
    /// Copies <paramref name="content"/> to <paramref name="path"/> unless a file of the same length is there already;
    /// the copy goes through a unique temporary name, so concurrent runs and interrupted ones never leave half a file.
    /// </summary>
    public static string ExtractTo(Stream content, string path)
    {
        if (System.IO.File.Exists(path) && new FileInfo(path).Length == content.Length)
            return path;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temporary = $"{path}.{Guid.NewGuid():N}.partial";
        try
        {
            using (var file = System.IO.File.Create(temporary))
                content.CopyTo(file);
            System.IO.File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            System.IO.File.Delete(temporary);
        }
        return path;
    }

    private static string Extract(string resource, string path)
    {
        using var content = Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the embedded resource {resource} is missing from this build");
        return ExtractTo(content, path);
    }

    /// <summary>$XDG_CACHE_HOME/gaussquant, else ~/.cache/gaussquant.</summary>
    private static string CacheRoot()
    {
        string? cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(cache))
            cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "gaussquant");
    }
}
