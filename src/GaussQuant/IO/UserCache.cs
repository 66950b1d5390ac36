namespace GaussQuant.IO;

/// <summary>GaussQuant's per-user cache folder, for files the library unpacks once and then reads by path.</summary>
internal static class UserCache
{
    /// <summary>$XDG_CACHE_HOME/gaussquant, else ~/.cache/gaussquant.</summary>
    public static string Root()
    {
        string? cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(cache))
            cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "gaussquant");
    }

    /// <summary>
    /// Copies <paramref name="content"/> to <paramref name="path"/> unless a file of the same length is there already;
    /// the copy goes through a unique temporary name, so concurrent runs and interrupted ones never leave half a file.
    /// </summary>
    public static string ExtractTo(Stream content, string path)
    {
        if (File.Exists(path) && new FileInfo(path).Length == content.Length)
            return path;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temporary = $"{path}.{Guid.NewGuid():N}.partial";
        try
        {
            using (var file = File.Create(temporary))
                content.CopyTo(file);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
        return path;
    }
}
