using static TorchSharp.torch;

namespace GaussQuant.Nn;

/// <summary>
/// Multi-head scaled dot-product attention on a packed projection: [B, L, 3E] with the q, k and v blocks in that order
/// (PyTorch's <c>in_proj</c> and timm's <c>qkv</c> alike) → [B, L, E], heads of E / heads channels, scale
/// 1/√(E / heads), through LibTorch's fused kernel. Only the parameters around it differ between the two layouts.
/// </summary>
internal static class PackedAttention
{
    public static Tensor Attend(Tensor queryKeyValue, int heads)
    {
        using var scope = NewDisposeScope();
        long batch = queryKeyValue.shape[0], length = queryKeyValue.shape[1], width = queryKeyValue.shape[2] / 3;
        var split = queryKeyValue.reshape(batch, length, 3, heads, width / heads).permute(2, 0, 3, 1, 4);
        var attended = nn.functional.scaled_dot_product_attention(split[0], split[1], split[2]);
        return attended.transpose(1, 2).reshape(batch, length, width).MoveToOuterDisposeScope();
    }
}
