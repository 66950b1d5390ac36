using static TorchSharp.torch;

namespace GaussQuant.Checkpoints;

/// <summary>Materialises a storage as a 1-D CPU tensor whose bytes a container fills, whatever the container.</summary>
internal static class StorageTensors
{
    public delegate void Filler(Span<byte> destination);

    /// <summary>A tensor of <paramref name="storage"/>'s dtype and size, filled by <paramref name="fill"/>; the caller disposes it.</summary>
    /// <param name="description">Names the storage in errors, e.g. the file and record.</param>
    public static Tensor Read(StorageReference storage, string description, Filler fill)
    {
        long bytes = checked(storage.ElementCount * ScalarTypeSizes.Of(storage.DType));
        if (bytes > int.MaxValue)
            throw new NotSupportedException($"{description} is larger than 2 GiB, which this reader does not handle");
        var tensor = empty(storage.ElementCount, storage.DType);
        try
        {
            if (bytes > 0) fill(tensor.bytes);
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }
}
