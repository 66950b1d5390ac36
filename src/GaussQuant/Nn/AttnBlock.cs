using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GaussQuant.Nn;

/// <summary>
/// Single-head self-attention over the H·W positions (row-major tokens) with scale 1/√C, from 1×1-conv projections
/// of the normalised input; the residual adds the un-normalised input. Shape (B, C, H, W) → (B, C, H, W).
/// </summary>
public sealed class AttnBlock : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "norm")]
    private readonly GroupNorm norm;
    [ComponentName(Name = "q")]
    private readonly Conv2d query;
    [ComponentName(Name = "k")]
    private readonly Conv2d key;
    [ComponentName(Name = "v")]
    private readonly Conv2d value;
    [ComponentName(Name = "proj_out")]
    private readonly Conv2d projection;

    public AttnBlock(long channels, Device? device = null) : base(nameof(AttnBlock))
    {
        norm = Normalize.Create(channels, device);
        query = nn.Conv2d(channels, channels, kernel_size: 1, device: device);
        key = nn.Conv2d(channels, channels, kernel_size: 1, device: device);
        value = nn.Conv2d(channels, channels, kernel_size: 1, device: device);
        projection = nn.Conv2d(channels, channels, kernel_size: 1, device: device);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        long batch = input.shape[0], channels = input.shape[1], height = input.shape[2], width = input.shape[3];
        var normalised = norm.call(input);
        Tensor Tokens(Tensor map) => map.reshape(batch, 1, channels, height * width).transpose(2, 3);
        // Fused kernel: never materialises the L×L weights on backends that have one; default scale is 1/√C.
        var attended = nn.functional.scaled_dot_product_attention(
            Tokens(query.call(normalised)), Tokens(key.call(normalised)), Tokens(value.call(normalised)));
        var map = attended.transpose(2, 3).reshape(batch, channels, height, width);
        return scope.MoveToOuter(input + projection.call(map));
    }
}
