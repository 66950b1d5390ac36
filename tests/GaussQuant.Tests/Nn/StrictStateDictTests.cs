using GaussQuant.Nn;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Nn;

public class StrictStateDictTests
{
    [Fact]
    public void CopiesTheTensorsUnderThePrefixConvertingTheirDtype()
    {
        using var block = new Downsample(32);
        using var weight = full(32, 32, 3, 3, 0.5, dtype: ScalarType.Float16);
        using var bias = arange(32, dtype: ScalarType.Float16);
        using var other = zeros(1);
        var tensors = new Dictionary<string, Tensor> { ["m.conv.weight"] = weight, ["m.conv.bias"] = bias, ["loss.x"] = other };
        block.LoadStrict(tensors, "m.", "test.safetensors");
        var loaded = block.state_dict();
        Assert.Equal(ScalarType.Float32, loaded["conv.weight"].dtype);
        Assert.Equal(0.5f, loaded["conv.weight"][3, 2, 1, 0].item<float>());
        Assert.Equal(31f, loaded["conv.bias"][31].item<float>());
    }

    [Fact]
    public void ListsEveryMismatchAtOnceAndLoadsNothing()
    {
        using var block = new ResnetBlock(32, 64);
        var expected = block.state_dict();
        var tensors = expected.ToDictionary(pair => "encoder." + pair.Key, pair => pair.Value.clone());
        tensors.Remove("encoder.norm1.weight");
        tensors.Remove("encoder.nin_shortcut.bias");
        tensors["encoder.conv1.weight"].Dispose();
        tensors["encoder.conv1.weight"] = zeros(64, 32, 1, 1);
        tensors["encoder.conv2.bias"].Dispose();
        tensors["encoder.conv2.bias"] = zeros(new long[] { 64 }, ScalarType.Int64);
        tensors["encoder.temb_proj.weight"] = zeros(1);
        tensors["decoder.unrelated"] = zeros(1);
        using var before = expected["norm2.bias"].clone();
        tensors["encoder.norm2.bias"].add_(1);
        try
        {
            string message = Assert.Throws<InvalidDataException>(() => block.LoadStrict(tensors, "encoder.", "model.ckpt")).Message;
            Assert.StartsWith("model.ckpt:", message);
            Assert.Contains("missing 2: encoder.norm1.weight, encoder.nin_shortcut.bias", message);
            Assert.Contains("unexpected 1: encoder.temb_proj.weight", message);
            Assert.Contains("encoder.conv1.weight has shape (64, 32, 1, 1), expected (64, 32, 3, 3)", message);
            Assert.Contains("encoder.conv2.bias has dtype Int64", message);
            Assert.DoesNotContain("decoder.unrelated", message);
            Assert.True(block.state_dict()["norm2.bias"].equal(before).all().item<bool>());
        }
        finally { foreach (var tensor in tensors.Values) tensor.Dispose(); }
    }
}
