using GaussQuant.Imaging;
using GaussQuant.Tokens;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Imaging;

public class ImageTensorsTests
{
    [Fact]
    public void NormalisesEveryByteExactlyAsTorchvision()
    {
        float[] expected = NpyFile.Read(ImagingFixtures.Path("normalized_bytes.npy")).ToArray<float>();
        var ramp = new RgbImage(256, 1, Enumerable.Range(0, 256).SelectMany(value => new[] { (byte)value, (byte)value, (byte)value }).ToArray());
        using var tensor = ImageTensors.ToTensor(ramp);
        Assert.Equal(new long[] { 3, 1, 256 }, tensor.shape);
        float[] values = tensor.data<float>().ToArray();
        for (int channel = 0; channel < 3; channel++)
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), values.Skip(256 * channel).Take(256).Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void PutsChannelsFirst()
    {
        var image = new RgbImage(2, 1, [255, 0, 0, 0, 0, 255]);
        using var tensor = ImageTensors.ToTensor(image);
        Assert.Equal(new[] { 1f, -1f, -1f, -1f, -1f, 1f }, tensor.data<float>().ToArray());
    }

    [Fact]
    public void EncodesValuesToTheBytesTorchvisionSaves()
    {
        float[] inputs = NpyFile.Read(ImagingFixtures.Path("encode_inputs.npy")).ToArray<float>();
        byte[] expected = NpyFile.Read(ImagingFixtures.Path("encode_expected.npy")).ToArray<byte>();
        int pixels = (inputs.Length + 2) / 3;
        var planar = new float[3 * pixels];
        inputs.CopyTo(planar, 0);
        using var tensor = TorchSharp.torch.tensor(planar, [3, 1, pixels]);
        var image = ImageTensors.ToImage(tensor);
        var bytes = Enumerable.Range(0, inputs.Length).Select(index => image.Pixels[3 * (index % pixels) + index / pixels]);
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void RoundTripsImagesThroughABatch()
    {
        var first = ImagingFixtures.Decode("rgb.png");
        var second = first.FlipHorizontal();
        using var batch = ImageTensors.ToBatch([first, second]);
        Assert.Equal(new long[] { 2, 3, 23, 37 }, batch.shape);
        Assert.Equal(ScalarType.Float32, batch.dtype);
        var images = ImageTensors.ToImages(batch);
        Assert.Equal(first.Pixels, images[0].Pixels);
        Assert.Equal(second.Pixels, images[1].Pixels);
    }

    [Fact]
    public void RefusesBatchesOfMixedSizes()
    {
        var error = Assert.Throws<ArgumentException>(() => ImageTensors.ToBatch([new RgbImage(2, 2, new byte[12]), new RgbImage(3, 2, new byte[18])]));
        Assert.Contains("3x2", error.Message);
    }

    [Fact]
    public void RefusesNaN()
    {
        using var tensor = full(3, 2, 2, float.NaN);
        Assert.Throws<InvalidDataException>(() => ImageTensors.ToImage(tensor));
    }

    [Fact]
    public void RefusesTensorsThatAreNotImages()
    {
        using var tensor = zeros(4, 2, 2);
        Assert.Throws<ArgumentException>(() => ImageTensors.ToImage(tensor));
    }
}
