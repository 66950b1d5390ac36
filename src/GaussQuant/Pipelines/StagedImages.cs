using System.Globalization;
using GaussQuant.Imaging;
using GaussQuant.IO;

namespace GaussQuant.Pipelines;

/// <summary>
/// PNGs written into a hidden staging folder inside the output folder and moved to their final names only by
/// <see cref="Commit"/>, when the whole run has succeeded. The set is committed whole or not at all: every name is
/// checked before anything is replaced, each move is a rename within one file system (an existing image of the same
/// name is replaced atomically, its old content kept in the staging folder), and if a move still fails, the moves
/// made are undone and the old images put back. A failed run removes the staging folder and leaves the output
/// folder as it was.
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
    public IReadOnlyList<string> Commit(IReadOnlyList<string> names, bool overwrite)
    {
        if (names.Count != Count)
            throw new InvalidOperationException($"{Count} images were staged but {names.Count} names were given");
        OutputDestination.CheckFolder(outputFolder, names, overwrite);
        var targets = names.Select(name => Path.Combine(outputFolder, name)).ToList();
        int moved = 0;
        try
        {
            for (; moved < targets.Count; moved++)
            {
                if (File.Exists(targets[moved]))
                    File.Copy(targets[moved], BackupPath(moved));
                File.Move(StagedPath(moved), targets[moved], overwrite: true);
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Undo(targets, moved);
            throw new IOException($"cannot write {targets[moved]}: {error.Message}; the images already moved were taken back, nothing was written", error);
        }
        Directory.Delete(stagingFolder, recursive: true);
        return targets;
    }

    public void Dispose()
    {
        if (Directory.Exists(stagingFolder))
            Directory.Delete(stagingFolder, recursive: true);
    }

    /// <summary>
    /// Puts back what the first <paramref name="moved"/> moves replaced. The failed move itself changed nothing (a
    /// rename happens whole or not at all), and its backup may be incomplete, so it is left alone.
    /// </summary>
    private void Undo(IReadOnlyList<string> targets, int moved)
    {
        for (int index = moved - 1; index >= 0; index--)
        {
            if (File.Exists(BackupPath(index)))
                File.Move(BackupPath(index), targets[index], overwrite: true);
            else
                File.Delete(targets[index]);
        }
    }

    private string StagedPath(int index) => Path.Combine(stagingFolder, index.ToString(CultureInfo.InvariantCulture) + ".png");

    private string BackupPath(int index) => Path.Combine(stagingFolder, "old-" + index.ToString(CultureInfo.InvariantCulture) + ".png");
}
