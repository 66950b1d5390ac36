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

    private static readonly Assembly Assembly = typeof(DefaultModel).Assembly;

    public static bool IsEmbedded => Assembly.GetManifestResourceInfo(WeightsResource) is not null;

    /// <summary>The default model file (weights and config).</summary>
    /// <exception cref="ArgumentException">when this build has no default model.</exception>
    public static string File()
    {
        if (!IsEmbedded)
            throw new ArgumentException("this build has no default model; pass --config and --ckpt");
        string folder = Path.Combine(CacheRoot(), "default-model", Assembly.ManifestModule.ModuleVersionId.ToString("N"));
        return Extract(WeightsResource, Path.Combine(folder, "model.safetensors"));
    }

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
