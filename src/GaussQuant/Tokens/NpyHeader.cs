namespace GaussQuant.Tokens;

/// <summary>What a <c>.npy</c> header says: element type, shape, and where the data starts and how long it is.</summary>
internal sealed record NpyHeader(string DType, long[] Shape, long DataOffset, long DataBytes);
