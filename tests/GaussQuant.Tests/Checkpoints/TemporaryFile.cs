namespace GaussQuant.Tests.Checkpoints;

/// <summary>A unique path in the temporary folder, deleted (with any temporary sibling the code under test left) on dispose.</summary>
internal sealed class TemporaryFile(string extension = ".tmp") : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"gq-test-{Guid.NewGuid():N}{extension}");

    public void Dispose()
    {
        File.Delete(Path);
        foreach (string temporary in GaussQuant.Tests.IO.SpecialFiles.TemporariesBeside(Path))
            File.Delete(temporary);
    }
}
