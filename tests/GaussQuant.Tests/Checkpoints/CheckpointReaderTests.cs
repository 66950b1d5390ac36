using GaussQuant.Checkpoints;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Checkpoints;

public class CheckpointReaderTests
{
    private static string Lightning => TestPaths.Fixture("checkpoints", "lightning.ckpt");

    private static string Small => TestPaths.Fixture("safetensors", "small.safetensors");

    [Theory]
    [InlineData("checkpoints", "lightning.ckpt")]
    [InlineData("checkpoints", "state_dict.pth")]
    [InlineData("checkpoints", "legacy.pth")]
    [InlineData("safetensors", "small.safetensors")]
    public void ReadingTensorByTensorGivesWhatLoadingAllAtOnceGives(string folder, string file)
    {
        string path = TestPaths.Fixture(folder, file);
        using var all = CheckpointLoader.Load(path);
        using var reader = CheckpointLoader.Open(path);
        Assert.Equal(all.Tensors.Keys, reader.Shapes.Keys);
        Assert.Equal(all.Metadata.TensorCount, reader.Metadata.TensorCount);
        // Read twice in reverse order: a shared storage kept for its siblings must give each view again, in any order.
        foreach (string key in reader.Shapes.Keys.Reverse().Concat(reader.Shapes.Keys))
        {
            using var tensor = reader.Read(key);
            AssertSame(all.Tensors[key], tensor, key);
            Assert.Equal(reader.Shapes[key], tensor.shape);
        }
    }

    [Fact]
    public void AStorageKeptForItsOtherViewsOutlivesTheDisposeScopeOfTheFirstRead()
    {
        // encoder.conv_out.weight and .bias view one storage: the first read keeps it, inside a scope that then ends.
        using var all = CheckpointLoader.Load(Lightning);
        using var reader = CheckpointLoader.Open(Lightning);
        using (NewDisposeScope())
            reader.Read("encoder.conv_out.weight");
        using var bias = reader.Read("encoder.conv_out.bias");
        AssertSame(all.Tensors["encoder.conv_out.bias"], bias, "encoder.conv_out.bias");
    }

    [Fact]
    public void AViewOpenedWithoutTheOtherViewsOfItsStorageIsCopiedOutOfIt()
    {
        // decoder.conv_in.weight is six elements at offset 5 of a storage the encoder's conv_out entries view too.
        using var all = CheckpointLoader.Load(Lightning);
        using var reader = CheckpointLoader.Open(Lightning, key => key == "decoder.conv_in.weight");
        using var tensor = reader.Read("decoder.conv_in.weight");
        AssertSame(all.Tensors["decoder.conv_in.weight"], tensor, "decoder.conv_in.weight");
        Assert.Equal(6, tensor.storage<float>().Count);
    }

    [Fact]
    public void KeysLeftOutCannotBeReadAndTheCountStillNamesEveryTensor()
    {
        using var reader = CheckpointLoader.Open(Small, CheckpointLoader.IsInferenceKey);
        Assert.Equal(["encoder.conv_in.weight"], reader.Shapes.Keys);
        Assert.Equal(3, reader.Metadata.TensorCount);
        var error = Assert.Throws<KeyNotFoundException>(() => reader.Read("steps"));
        Assert.Contains(Small, error.Message);
        Assert.Contains("'steps'", error.Message);
    }

    [Fact]
    public void ASafetensorsTensorIsReadWithoutTheBytesOfTheOthers()
    {
        using var file = new CountingStream(File.OpenRead(Small));
        var contents = SafetensorsContents.Open(file, "small.safetensors");
        long header = file.BytesRead;
        Assert.Equal(8 + BitConverter.ToInt64(File.ReadAllBytes(Small), 0), header);
        using var weight = contents.Read("encoder.conv_in.weight");
        Assert.Equal(header + 6 * sizeof(float), file.BytesRead);
        Assert.Equal(new[] { -0.5f, -0.25f, 0f, 0.25f, 0.5f, 0.75f }, weight.data<float>().ToArray());
    }

    private static void AssertSame(Tensor expected, Tensor actual, string key)
    {
        Assert.Equal(expected.dtype, actual.dtype);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(actual.is_contiguous(), key);
        Assert.True(expected.equal(actual).all().item<bool>(), key);
    }

    /// <summary>A read-only stream that counts the bytes read through it.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        private int Count(int read)
        {
            BytesRead += read;
            return read;
        }
    }
}
