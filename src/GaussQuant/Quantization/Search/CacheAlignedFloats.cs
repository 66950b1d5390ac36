using System.Runtime.InteropServices;

namespace GaussQuant.Quantization.Search;

/// <summary>
/// Floats whose first element starts a 64-byte cache line. A managed float[]'s data sits 16 bytes past an 8-byte
/// aligned object, so a 512-bit load from it almost always straddles two lines; on an Intel Xeon with AVX-512 those
/// split loads cost the search kernel about a sixth of its speed. Vectors read from a buffer aligned here never split.
/// </summary>
internal sealed class CacheAlignedFloats
{
    private const int LineBytes = 64;
    private readonly float[] storage;
    private readonly int offset;

    public CacheAlignedFloats(int length)
    {
        // The pinned object heap never moves an array, so an offset that aligns it now keeps aligning it.
        storage = GC.AllocateArray<float>(length + LineBytes / sizeof(float) - 1, pinned: true);
        long address = Marshal.UnsafeAddrOfPinnedArrayElement(storage, 0);
        offset = (int)((LineBytes - address % LineBytes) % LineBytes / sizeof(float));
        Length = length;
    }

    public int Length { get; }

    public Span<float> Span => storage.AsSpan(offset, Length);

    public ref float this[long index] => ref storage[offset + index];
}
