using GaussQuant.IO;
using GaussQuant.Tests.Pipelines;

namespace GaussQuant.Tests.IO;

public class OutputDestinationTests
{
    [Fact]
    public void AFolderNamedWhereAFileIsExpectedIsRefused()
    {
        using var folder = new TemporaryFolder();
        Assert.Contains("names a folder", Assert.Throws<ArgumentException>(() => OutputDestination.CheckFile(folder["missing/"], overwrite: true)).Message);
        Directory.CreateDirectory(folder["existing"]);
        var error = Assert.Throws<OutputRefusedException>(() => OutputDestination.CheckFile(folder["existing"], overwrite: true, "tokens.npy"));
        Assert.Contains($"{folder["existing"]} is a folder", error.Message);
        Assert.Contains(Path.Combine(folder["existing"], "tokens.npy"), error.Message);
    }

    [Fact]
    public void AFileNamedWhereAFolderIsExpectedIsRefused()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder["file"], "mine");
        Assert.Contains("is a file, not a folder", Assert.Throws<OutputRefusedException>(() =>
            OutputDestination.CheckFolder(folder["file"], ["a.png"], overwrite: true)).Message);
        Assert.Contains("is a file, not a folder", Assert.Throws<OutputRefusedException>(() =>
            OutputDestination.CheckFile(folder["file/tokens.npy"], overwrite: true)).Message);
    }

    [Fact]
    public void AnExistingOutputIsRefusedUnlessOverwriting()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder["tokens.npy"], "old");
        Assert.Contains("pass --overwrite", Assert.Throws<OutputRefusedException>(() => OutputDestination.CheckFile(folder["tokens.npy"], overwrite: false)).Message);
        Assert.Equal(folder["tokens.npy"], OutputDestination.CheckFile(folder["tokens.npy"], overwrite: true));

        File.WriteAllText(folder["a.png"], "old");
        var error = Assert.Throws<OutputRefusedException>(() => OutputDestination.CheckFolder(folder.Path, ["a.png", "b.png"], overwrite: false));
        Assert.Contains("already holds 1 of the files to write (a.png)", error.Message);
        OutputDestination.CheckFolder(folder.Path, ["a.png", "b.png"], overwrite: true);
    }

    [Fact]
    public void FifosAndDeviceNodesAreNeverOutputs()
    {
        using var folder = new TemporaryFolder();
        SpecialFiles.MakeFifo(folder["fifo.npy"]);
        File.CreateSymbolicLink(folder["link.npy"], folder["fifo.npy"]);
        foreach (string path in new[] { folder["fifo.npy"], folder["link.npy"], "/dev/null" })
            Assert.Contains("not a regular file", Assert.Throws<OutputRefusedException>(() => OutputDestination.CheckFile(path, overwrite: true)).Message);
        Assert.Contains("not a regular file", Assert.Throws<OutputRefusedException>(() =>
            OutputDestination.CheckFolder(folder.Path, ["fifo.npy"], overwrite: true)).Message);
    }

    [Fact]
    public void AnUnwritablePlaceIsRefused()
    {
        // /proc takes no new files, whoever asks (root included), which a permission bit would not guarantee.
        var error = Assert.Throws<OutputRefusedException>(() => OutputDestination.CheckFile("/proc/gq-tokens.npy", overwrite: true));
        Assert.Contains("gq cannot create files in /proc", error.Message);
    }

    [Theory]
    [InlineData(300, "bytes long")]
    [InlineData(0, "NUL")]
    public void NamesNoFileSystemTakesAreRefused(int length, string message)
    {
        using var folder = new TemporaryFolder();
        string name = length > 0 ? new string('x', length) + ".png" : "a\0b.png";
        Assert.Contains(message, Assert.Throws<OutputRefusedException>(() => OutputDestination.CheckFolder(folder.Path, ["ok.png", name], overwrite: true)).Message);
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => OutputDestination.CheckFile(Path.Combine(folder.Path, name), overwrite: true)).Message);
    }
}
