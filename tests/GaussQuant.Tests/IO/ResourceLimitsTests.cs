using GaussQuant.IO;

namespace GaussQuant.Tests.IO;

public class ResourceLimitsTests
{
    [Fact]
    public void EnvironmentVariablesOverrideTheDefaultsWithBinarySuffixes()
    {
        var variables = new Dictionary<string, string>
        {
            [ResourceLimits.ImagePixelsVariable] = "1000000",
            [ResourceLimits.ModelBytesVariable] = "16G",
            [ResourceLimits.ActivationBytesVariable] = "512m",
        };
        var limits = ResourceLimits.FromEnvironment(name => variables.GetValueOrDefault(name));
        Assert.Equal(1_000_000, limits.MaxImagePixels);
        Assert.Equal(16L << 30, limits.MaxModelBytes);
        Assert.Equal(512L << 20, limits.MaxActivationBytes);
        Assert.Equal(new ResourceLimits(), ResourceLimits.FromEnvironment(_ => null));
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("9999999999T")]
    public void AValueThatIsNotAPositiveSizeNamesTheVariable(string value)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            ResourceLimits.FromEnvironment(name => name == ResourceLimits.ModelBytesVariable ? value : null));
        Assert.Contains($"GQ_MAX_MODEL_BYTES={value}", error.Message);
    }
}
