using System.Globalization;
using GaussQuant.Imaging;

namespace GaussQuant.Pipelines;

/// <summary>
/// PNGs written into a hidden staging folder inside the output folder and moved to their final names only by
/// <see cref="Commit"/>, when the whole run has succeeded. Each move is a rename within one file system, so an
/// existing image of the same name is replaced atomically; a failed run removes the staging folder and leaves the
/// output folder as it was.
/// </summary>
internal sealed class StagedImages : IDisposable
{
    private readonly string outputFolder;
    private readonly string stagingFolder;

    public StagedImages(string outputFolder)
    {
        this.outputFolder = outputFolder;
        stagingFolder = Path.Combine(outputFolder, $".gq-staging-{Guid.NewGuid():N}");
        Directory.CreateDirectory(stagingFolder);
    }

    public int Count { get; private set; }

    public void Add(RgbImage image)
    {
        File.WriteAllBytes(StagedPath(Count), ImageEncoder.EncodePng(image));
        Count++;
    }

    /// <summary>Moves the staged images, in the order they were added, to <paramref name="names"/> in the output folder.</summary>
    /// <returns>The paths written.</returns>
    public IReadOnlyList<string> Commit(IReadOnlyList<string> names)
    {
        if (names.Count != Count)
            throw new InvalidOperationException($"{Count} images were staged but {names.Count} names were given");
        var targets = names.Select(name => Path.Combine(outputFolder, name)).ToList();
        string? blocked = targets.FirstOrDefault(Directory.Exists);
        if (blocked is not null)
            throw new IOException($"{blocked} is a folder, so the image of that name cannot be written; nothing was written");
        for (int index = 0; index < targets.Count; index++)
            File.Move(StagedPath(index), targets[index], overwrite: true);
        Directory.Delete(stagingFolder);
        return targets;
    }

    public void Dispose()
    {
        if (Directory.Exists(stagingFolder))
            Directory.Delete(stagingFolder, recursive: true);
    }

    private string StagedPath(int index) => Path.Combine(stagingFolder, index.ToString(CultureInfo.InvariantCulture) + ".png");
}
