using GaussQuant.Imaging;

namespace GaussQuant.Tests.Imaging;

public sealed class ImageInputsTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"gq-inputs-{Guid.NewGuid():N}");

    public ImageInputsTests()
    {
        foreach (string file in new[] { "b/2.PNG", "b/1.jpeg", "a.webp", "B.bmp", "b/c/0.JPG", "notes.md", "b/skip.gif" })
        {
            string path = Path.Combine(root, "data", file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "");
        }
        Directory.CreateDirectory(Path.Combine(root, "empty"));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string In(params string[] parts) => Path.Combine([root, .. parts]);

    [Fact]
    public void ListsImagesBelowADirectoryInOrdinalPathOrder()
    {
        Assert.Equal(
            new[] { In("data", "B.bmp"), In("data", "a.webp"), In("data", "b", "1.jpeg"), In("data", "b", "2.PNG"), In("data", "b", "c", "0.JPG") },
            ImageInputs.Expand([In("data")]));
    }

    [Fact]
    public void KeepsExplicitFilesInTheGivenOrderWhateverTheirExtension()
    {
        string[] inputs = [In("data", "b", "skip.gif"), In("data", "a.webp"), In("data", "b", "1.jpeg"), In("data", "a.webp")];
        Assert.Equal(inputs, ImageInputs.Expand(inputs));
    }

    [Fact]
    public void ExpandsArgumentsOneAfterAnother()
    {
        var files = ImageInputs.Expand([In("data", "a.webp"), In("data", "b", "c")]);
        Assert.Equal(new[] { In("data", "a.webp"), In("data", "b", "c", "0.JPG") }, files);
    }

    [Fact]
    public void ReadsListsRelativeToTheirFolder()
    {
        File.WriteAllLines(In("data", "list.txt"), ["b/2.PNG", "", "  a.webp  ", In("data", "b", "c"), ""]);
        Assert.Equal(new[] { In("data", "b", "2.PNG"), In("data", "a.webp"), In("data", "b", "c", "0.JPG") },
            ImageInputs.Expand([In("data", "list.txt")]));
    }

    [Fact]
    public void RefusesListsOfLists()
    {
        File.WriteAllLines(In("data", "inner.txt"), ["a.webp"]);
        File.WriteAllLines(In("data", "outer.txt"), ["inner.txt"]);
        var error = Assert.Throws<InvalidDataException>(() => ImageInputs.Expand([In("data", "outer.txt")]));
        Assert.Contains("outer.txt", error.Message);
    }

    [Fact]
    public void RefusesMissingInputsNamingThem()
    {
        var error = Assert.Throws<FileNotFoundException>(() => ImageInputs.Expand([In("data", "a.webp"), In("nowhere.png")]));
        Assert.Contains("nowhere.png", error.Message);
    }

    [Fact]
    public void RefusesMissingInputsNamedInALists()
    {
        File.WriteAllLines(In("data", "list.txt"), ["gone.png"]);
        var error = Assert.Throws<FileNotFoundException>(() => ImageInputs.Expand([In("data", "list.txt")]));
        Assert.Contains("gone.png", error.Message);
        Assert.Contains("list.txt", error.Message);
    }

    [Fact]
    public void RefusesDirectoriesWithoutImages()
    {
        var error = Assert.Throws<FileNotFoundException>(() => ImageInputs.Expand([In("empty")]));
        Assert.Contains("no images", error.Message);
    }
}
