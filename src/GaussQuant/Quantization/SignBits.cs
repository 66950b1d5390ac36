using static TorchSharp.torch;

namespace GaussQuant.Quantization;

/// <summary>
/// One token from the signs of a position's channels (LFQ and BSQ): bit j is 1 when channel j is positive, read
/// most significant first, so channel 0 carries 2^(n−1). The reference hard-codes n = 16; any n up to 62 works here.
/// </summary>
internal static class SignBits
{
    public const int MaxBits = 62;

    /// <summary>[B, n, h, w] → int64 tokens [B, 1, h, w].</summary>
    public static Tensor ToTokens(Tensor latent)
    {
        int bits = (int)latent.shape[1];
        return latent.gt(0).to(ScalarType.Int64).mul(Weights(bits, latent.device)).sum(1, keepdim: true);
    }

    /// <summary>int64 tokens [B, 1, h, w] → the signs as ±1 floats [B, n, h, w].</summary>
    public static Tensor ToSigns(Tensor tokens, int bits)
    {
        var set = tokens.to(ScalarType.Int64).bitwise_and(Weights(bits, tokens.device)).ne(0);
        return set.to(ScalarType.Float32).mul(2).sub(1);
    }

    /// <summary>The sign of every value: +1 above 0, −1 otherwise (0 maps to −1, as the reference's x &gt; 0 test).</summary>
    public static Tensor Signs(Tensor latent) => latent.gt(0).to(latent.dtype).mul(2).sub(1);

    private static Tensor Weights(int bits, Device device) =>
        tensor(Enumerable.Range(0, bits).Select(bit => 1L << (bits - 1 - bit)).ToArray(), device: device).reshape(1, bits, 1, 1);
}
