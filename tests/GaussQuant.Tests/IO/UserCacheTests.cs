using GaussQuant.IO;
using GaussQuant.Tests.Pipelines;

namespace GaussQuant.Tests.IO;

public class UserCacheTests
{
    [Fact]
    public void ExtractsOnceAndReplacesAFileOfAnotherLength()
    {
        using var folder = new TemporaryFolder();
        string path = folder["cache/model.safetensors"];
        using (var content = new MemoryStream([1, 2, 3]))
            Assert.Equal(path, UserCache.ExtractTo(content, path));
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));

        var written = File.GetLastWriteTimeUtc(path);
        File.SetLastWriteTimeUtc(path, written.AddHours(-1));
        using (var same = new MemoryStream([1, 2, 3]))
            UserCache.ExtractTo(same, path);
        Assert.Equal(written.AddHours(-1), File.GetLastWriteTimeUtc(path));

        using (var longer = new MemoryStream([4, 5, 6, 7]))
            UserCache.ExtractTo(longer, path);
        Assert.Equal(new byte[] { 4, 5, 6, 7 }, File.ReadAllBytes(path));
        Assert.Equal(new[] { "cache", "cache/model.safetensors" }, folder.Files());
    }
}
