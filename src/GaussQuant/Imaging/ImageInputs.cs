using System.Collections.Frozen;

namespace GaussQuant.Imaging;

/// <summary>
/// Expands the command line's <c>INPUT...</c> into the ordered list of image files to read. Each argument
/// contributes, in argument order:
/// <list type="bullet">
/// <item>a directory: every file below it (recursively) whose extension is .png, .jpg, .jpeg, .webp or .bmp in
/// any letter case, sorted by ordinal comparison of the full paths;</item>
/// <item>a <c>.txt</c> file: a list of inputs, one per line (blank lines skipped), relative paths taken from the
/// list's folder, each line expanded like an argument (list files cannot nest);</item>
/// <item>any other file: itself, whatever its extension (the decoder judges the content).</item>
/// </list>
/// Nothing is de-duplicated: an image named twice is read twice. Missing paths and directories without images
/// are errors.
/// </summary>
public static class ImageInputs
{
    public static IReadOnlySet<string> Extensions { get; } =
        new[] { ".png", ".jpg", ".jpeg", ".webp", ".bmp" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<string> Expand(IEnumerable<string> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var files = new List<string>();
        foreach (string input in inputs)
            AddInput(files, input, listFile: null);
        return files;
    }

    public static bool HasImageExtension(string path) => Extensions.Contains(Path.GetExtension(path));

    private static void AddInput(List<string> files, string input, string? listFile)
    {
        string from = listFile is null ? "" : $" (listed in {listFile})";
        if (string.IsNullOrWhiteSpace(input))
            throw new ArgumentException($"an empty input path was given{from}");
        if (Directory.Exists(input))
            files.AddRange(ImagesUnder(input, from));
        else if (!File.Exists(input))
            throw new FileNotFoundException($"input {input}{from} does not exist", input);
        else if (Path.GetExtension(input).Equals(".txt", StringComparison.OrdinalIgnoreCase))
        {
            if (listFile is not null)
                throw new InvalidDataException($"{listFile}: lists cannot name other lists, but it names {input}");
            AddList(files, input);
        }
        else
            files.Add(input);
    }

    private static void AddList(List<string> files, string listFile)
    {
        string folder = Path.GetDirectoryName(listFile) ?? "";
        foreach (string line in File.ReadLines(listFile))
        {
            string entry = line.Trim();
            if (entry.Length > 0)
                AddInput(files, Path.Combine(folder, entry), listFile);
        }
    }

    private static IEnumerable<string> ImagesUnder(string directory, string from)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
        var images = Directory.EnumerateFiles(directory, "*", options)
            .Where(HasImageExtension)
            .Select(path => (Path: path, FullPath: Path.GetFullPath(path)))
            .OrderBy(file => file.FullPath, StringComparer.Ordinal)
            .Select(file => file.Path)
            .ToList();
        if (images.Count == 0)
            throw new FileNotFoundException(
                $"directory {directory}{from} holds no images ({string.Join(", ", Extensions)})", directory);
        return images;
    }
}
