using GaussQuant.Tokens;

namespace GaussQuant.Tests.Tokens;

public class OutputImageNamesTests
{
    [Fact]
    public void NamesOutputsAfterTheInputsStems()
    {
        Assert.Equal(new[] { "cat.png", "dog.png" }, OutputImageNames.FromInputs(["photos/cat.jpg", "dog.webp"]));
    }

    [Fact]
    public void SuffixesRepeatedStemsInInputOrder()
    {
        Assert.Equal(
            new[] { "a.png", "a_1.png", "A_2.png", "a_1_1.png", "b.png" },
            OutputImageNames.FromInputs(["x/a.png", "y/a.jpg", "z/A.bmp", "a_1.png", "b.png"]));
    }

    [Fact]
    public void NumbersOutputsWithoutAManifest()
    {
        Assert.Equal(new[] { "000000.png", "000001.png", "000002.png" }, OutputImageNames.Numbered(3));
        Assert.Equal("1000000.png", OutputImageNames.Numbered(1_000_000, count: 1_000_001));
        Assert.Equal("0000042.png", OutputImageNames.Numbered(42, count: 1_000_001));
        Assert.Empty(OutputImageNames.Numbered(0));
    }
}
