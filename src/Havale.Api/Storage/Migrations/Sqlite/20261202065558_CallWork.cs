using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Havale.Api.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CallWork : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "is_work_committed",
                table: "call_log",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "is_work_committed",
                table: "call_log");
        }
    }
}
