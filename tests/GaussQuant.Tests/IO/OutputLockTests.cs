using GaussQuant.IO;
using GaussQuant.Tests.Pipelines;

namespace GaussQuant.Tests.IO;

public class OutputLockTests
{
    [Fact]
    public void ASecondWriterOfTheSameOutputIsRefusedUntilTheFirstReleasesIt()
    {
        using var folder = new TemporaryFolder();
        string lockPath = OutputLock.LockPathOfFile(folder["tokens.npy"]);
        using (OutputLock.Acquire(lockPath, folder["tokens.npy"]))
        {
            var error = Assert.Throws<OutputRefusedException>(() => OutputLock.Acquire(lockPath, folder["tokens.npy"]));
            Assert.Contains("is being written by another gq process", error.Message);
        }
        Assert.False(File.Exists(lockPath));
        using (OutputLock.Acquire(lockPath, folder["tokens.npy"]))
            Assert.True(File.Exists(lockPath));
    }

    [Fact]
    public void ALockFileLeftByAKilledProcessDoesNotBlock()
    {
        using var folder = new TemporaryFolder();
        string lockPath = OutputLock.LockPathOfFile(folder["tokens.npy"]);
        File.WriteAllText(lockPath, "");
        using (OutputLock.Acquire(lockPath, folder["tokens.npy"]))
        {
        }
        Assert.False(File.Exists(lockPath));
    }

    [Fact]
    public void TwoWritersOfOnePathWriteSeparateTemporaryFiles()
    {
        using var folder = new TemporaryFolder();
        using var first = AtomicFile.Create(folder["tokens.npy"]);
        using var second = AtomicFile.Create(folder["tokens.npy"]);
        first.Stream.Write([1, 1, 1]);
        second.Stream.Write([2, 2]);
        Assert.NotEqual(first.Stream.Name, second.Stream.Name);
        first.Commit();
        Assert.Equal(new byte[] { 1, 1, 1 }, File.ReadAllBytes(folder["tokens.npy"]));
        second.Commit();
        Assert.Equal(new byte[] { 2, 2 }, File.ReadAllBytes(folder["tokens.npy"]));
        Assert.Empty(SpecialFiles.TemporariesBeside(folder["tokens.npy"]));
    }
}
