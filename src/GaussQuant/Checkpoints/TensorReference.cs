namespace GaussQuant.Checkpoints;

/// <summary>
/// A tensor described by a checkpoint's pickle but not yet read: a strided view (<see cref="Shape"/>,
/// <see cref="Strides"/>, <see cref="StorageOffset"/>, all in elements) of a storage in the archive. Reading is
/// deferred so that optimizer states and other unwanted entries cost nothing.
/// </summary>
internal sealed record TensorReference(StorageReference Storage, long StorageOffset, long[] Shape, long[] Strides)
{
    public override string ToString() => $"tensor {Storage.DType} [{string.Join(", ", Shape)}]";
}
